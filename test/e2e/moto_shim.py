"""Start moto_server with two gaps of moto 5.2 closed, so that the real AWS provider can deploy.

- GetServiceNetworkVpcAssociation is missing (HTTP 500), so the provider's wait for the
  association to become ACTIVE never ends; this adds it, reading moto's own state.
- CreateAccessLogSubscription and CreateServiceNetworkServiceAssociation accept only ids, where
  AWS takes ARNs (required across accounts, and by the provider's validation); this resolves an
  ARN to its id first, as moto already does for PutAuthPolicy.

- Security group rules keep their description only when they name a CIDR; for prefix-list and
  group rules moto drops it, so every refresh would show drift that AWS does not have. This
  keeps the description given with the prefix list or group, as AWS does.

Usage: python3 moto_shim.py -p PORT  (the arguments of moto_server)
"""
import json
import sys
from urllib.parse import unquote

from moto.ec2.models import security_groups
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
    return _create_service_association(self, _id(service_network_identifier), _id(service_identifier), *args, **kwargs)


models.VPCLatticeBackend.create_service_network_service_association = create_service_network_service_association

_rule_init = security_groups.SecurityGroupRule.__init__


def rule_init(self, ec2_backend, ip_protocol, group_id, from_port, to_port, ip_range, source_group=None, prefix_list_id=None, **kwargs):
    _rule_init(self, ec2_backend, ip_protocol, group_id, from_port, to_port, ip_range, source_group, prefix_list_id, **kwargs)
    self._description = (prefix_list_id or source_group or {}).get("Description")


security_groups.SecurityGroupRule.__init__ = rule_init
security_groups.SecurityGroupRule.description = property(lambda self: self.ip_range.get("Description") or getattr(self, "_description", None))

if __name__ == "__main__":
    from moto.server import main

    main(sys.argv[1:])
