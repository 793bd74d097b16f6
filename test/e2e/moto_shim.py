"""Start moto_server with the gaps of moto 5.2 that the real AWS provider meets closed, so that it can deploy.

- GetServiceNetworkVpcAssociation is missing (HTTP 500), so the provider's wait for the
  association to become ACTIVE never ends; this adds it, reading moto's own state.
- CreateAccessLogSubscription and CreateServiceNetworkServiceAssociation accept only ids, where
  AWS takes ARNs (required across accounts, and by the provider's validation); this resolves an
  ARN to its id first, as moto already does for PutAuthPolicy.

- Across accounts (AWS RAM): moto 5.2 cannot associate a resource or a principal with a share
  (AssociateResourceShare is missing), has no ListResourceSharePermissions, drops a share's tags
  (every refresh would show drift), cannot share a service network, and looks a service
  network up in the caller's own account only. This adds the call, lets service networks be
  shared, and finds a network named by the ARN of another account's network only when that
  account shares it with the caller through RAM, as AWS does; otherwise it is not found.

- Security group rules keep their description only when they name a CIDR; for prefix-list and
  group rules moto drops it, so every refresh would show drift that AWS does not have. This
  keeps the description given with the prefix list or group, as AWS does.

- The AWS SDK sends a request again when it reads no answer to it (the same invocation id, the
  next attempt number in `amz-sdk-request`). Against moto on a loaded 2-core machine, that
  happened to a request moto had carried out: the provider's log showed AuthorizeSecurityGroupIngress
  sent, then "retrying request ..., attempt 2" 117 ms later with no answer read in between, and
  moto's answer to the second attempt was InvalidPermission.Duplicate, the rule being the first
  attempt's. A later attempt of an invocation moto answered with success now gets that same
  answer again (said in moto's log), as an idempotent API would give it; a request of another
  invocation that repeats a rule is still refused, so a stack that really declares a rule twice
  still fails.

- moto_server serves requests on many threads at once, but its models are not thread-safe
  (revoking a group's rule rebuilds the group's list of rules from a copy); this serves one
  request at a time, as AWS applies each request whole. It also makes the check for an earlier
  attempt's answer and the recording of this one a single step.

Usage: python3 moto_shim.py -p PORT  (the arguments of moto_server)
"""
import collections
import json
import re
import sys
import threading
from urllib.parse import unquote

from moto.ec2.models import security_groups
from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.ram import models as ram_models
from moto.ram import responses as ram_responses
from moto.ram import urls as ram_urls
from moto.vpclattice import models, responses


def get_service_network_vpc_association(self):
    ident = unquote(self.path.rstrip("/").rsplit("/", 1)[-1])
    assoc = self.backend.service_network_vpc_associations.get(ident)
    if assoc is None:
        ident = ident.rsplit("/", 1)[-1]
        assoc = self.backend.service_network_vpc_associations.get(ident)
    if assoc is None:
        raise models.ResourceNotFoundException(f"Resource {ident} not found")
    return json.dumps(assoc.to_dict())


responses.VPCLatticeResponse.get_service_network_vpc_association = get_service_network_vpc_association

_create_access_log_subscription = models.VPCLatticeBackend.create_access_log_subscription


def create_access_log_subscription(self, resourceIdentifier, *args, **kwargs):
    return _create_access_log_subscription(self, _id(resourceIdentifier), *args, **kwargs)


models.VPCLatticeBackend.create_access_log_subscription = create_access_log_subscription

_create_service_association = models.VPCLatticeBackend.create_service_network_service_association


def _id(identifier):
    return identifier.rsplit("/", 1)[-1] if identifier.startswith("arn:") else identifier


def create_service_network_service_association(self, service_network_identifier, service_identifier, *args, **kwargs):
    # The network keeps its ARN: it may be another account's (see get_service_network).
    return _create_service_association(self, service_network_identifier, _id(service_identifier), *args, **kwargs)


_get_service_network = models.VPCLatticeBackend.get_service_network


def _shared_with(arn, account, region, principal):
    return any(
        arn in share.resource_arns and principal in share.principals and share.status != "DELETED"
        for share in ram_models.ram_backends[account][region].resource_shares
    )


def get_service_network(self, service_network_identifier):
    identifier = service_network_identifier
    if identifier.startswith("arn:"):
        parts = identifier.split(":")
        region, account = parts[3], parts[4]
        if account != self.account_id:
            if not _shared_with(identifier, account, region, self.account_id):
                raise models.ResourceNotFoundException(identifier)
            return _get_service_network(models.vpclattice_backends[account][region], _id(identifier))
        identifier = _id(identifier)
    return _get_service_network(self, identifier)


models.VPCLatticeBackend.get_service_network = get_service_network

ram_models.ResourceShare.SHAREABLE_RESOURCES.append("servicenetwork")


def associate_resource_share(self):
    params = self.request_params
    share = next((s for s in self.ram_backend.resource_shares if s.arn == params.get("resourceShareArn")), None)
    if share is None:
        raise ram_models.UnknownResourceException(f"ResourceShare {params.get('resourceShareArn')} could not be found.")
    principals = params.get("principals", [])
    resources = params.get("resourceArns", [])
    share.add_principals(principals)
    share.add_resources(resources)
    made = [(p, "PRINCIPAL") for p in principals] + [(r, "RESOURCE") for r in resources]
    return json.dumps({
        "resourceShareAssociations": [
            {"resourceShareArn": share.arn, "resourceShareName": share.name, "associatedEntity": entity, "associationType": kind, "status": "ASSOCIATED", "external": False}
            for entity, kind in made
        ]
    })


_share_init = ram_models.ResourceShare.__init__
_share_describe = ram_models.ResourceShare.describe


def share_init(self, account_id, region, **kwargs):
    _share_init(self, account_id, region, **kwargs)
    self._tags = kwargs.get("tags") or []


def share_describe(self):
    return {**_share_describe(self), "tags": getattr(self, "_tags", [])}


ram_models.ResourceShare.__init__ = share_init
ram_models.ResourceShare.describe = share_describe


def list_resource_share_permissions(self):
    # The share's default permission, which the provider reads back; moto keeps none per share.
    return json.dumps({"permissions": []})


ram_responses.ResourceAccessManagerResponse.associate_resource_share = associate_resource_share
ram_responses.ResourceAccessManagerResponse.list_resource_share_permissions = list_resource_share_permissions
ram_urls.url_paths["{0}/associateresourceshare$"] = ram_responses.ResourceAccessManagerResponse.dispatch
ram_urls.url_paths["{0}/listresourcesharepermissions$"] = ram_responses.ResourceAccessManagerResponse.dispatch


models.VPCLatticeBackend.create_service_network_service_association = create_service_network_service_association

_rule_init = security_groups.SecurityGroupRule.__init__


def rule_init(self, ec2_backend, ip_protocol, group_id, from_port, to_port, ip_range, source_group=None, prefix_list_id=None, **kwargs):
    _rule_init(self, ec2_backend, ip_protocol, group_id, from_port, to_port, ip_range, source_group, prefix_list_id, **kwargs)
    self._description = (prefix_list_id or source_group or {}).get("Description")


security_groups.SecurityGroupRule.__init__ = rule_init
security_groups.SecurityGroupRule.description = property(lambda self: self.ip_range.get("Description") or getattr(self, "_description", None))

_one_at_a_time = threading.Lock()
_dispatch = DomainDispatcherApplication.__call__
# Successful answers by invocation id, for a later attempt of the same invocation (a few thousand
# requests per deploy; the oldest go first past the bound).
_answers = collections.OrderedDict()
_kept_answers = 20000


def _attempt(environ):
    found = re.search(r"attempt=(\d+)", environ.get("HTTP_AMZ_SDK_REQUEST", ""))
    return int(found.group(1)) if found else 1


def dispatch(self, environ, start_response):
    invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID")
    attempt = _attempt(environ)
    # moto builds the whole answer inside the call, so the lock covers every change to its models.
    with _one_at_a_time:
        if invocation and attempt > 1 and invocation in _answers:
            status, headers, body = _answers[invocation]
            print(f"replayed the answer to invocation {invocation} for its attempt {attempt}", file=sys.stderr, flush=True)
            start_response(status, headers)
            return [body]
        answer = {}

        def keep(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, list(headers)
            return start_response(status, headers, exc_info)

        chunks = _dispatch(self, environ, keep)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        if invocation and answer.get("status", "").startswith("2"):
            _answers[invocation] = (answer["status"], answer["headers"], body)
            while len(_answers) > _kept_answers:
                _answers.popitem(last=False)
        return [body]


DomainDispatcherApplication.__call__ = dispatch

if __name__ == "__main__":
    from moto.server import main

    main(sys.argv[1:])
