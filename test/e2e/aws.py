"""AWS calls of the end-to-end test, through boto3 against the moto endpoint in AWS_ENDPOINT_URL.

  setup VPC...   create a VPC per given id and a security group per `sg-…` id; print {given: real}
  readback       print the service networks, services, their auth policies and every security
                 group rule, as JSON
"""
import json
import os
import sys

import boto3

kw = dict(region_name=os.environ.get("AWS_REGION", "us-west-2"), endpoint_url=os.environ["AWS_ENDPOINT_URL"])
ec2 = boto3.client("ec2", **kw)
lattice = boto3.client("vpc-lattice", **kw)


def setup(ids):
    real = {}
    vpcs = [i for i in ids if i.startswith("vpc-")]
    for n, vpc in enumerate(vpcs):
        real[vpc] = ec2.create_vpc(CidrBlock=f"10.{n + 1}.0.0/16")["Vpc"]["VpcId"]
    first = real[vpcs[0]]
    for sg in (i for i in ids if i.startswith("sg-")):
        real[sg] = ec2.create_security_group(GroupName=f"existing-{sg}", Description="existing group", VpcId=first)["GroupId"]
    return real


def policy_of(arn):
    try:
        return json.loads(lattice.get_auth_policy(resourceIdentifier=arn)["policy"])
    except lattice.exceptions.ResourceNotFoundException:
        return None


def readback():
    networks = [{"name": n["name"], "arn": n["arn"], "authType": lattice.get_service_network(serviceNetworkIdentifier=n["id"])["authType"], "policy": policy_of(n["arn"])} for n in lattice.list_service_networks()["items"]]
    services = [{"name": s["name"], "arn": s["arn"], "authType": lattice.get_service(serviceIdentifier=s["id"]).get("authType"), "policy": policy_of(s["arn"])} for s in lattice.list_services()["items"]]
    groups = {g["GroupId"]: g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]}
    lists = {p["PrefixListId"]: p["PrefixListName"] for p in ec2.describe_managed_prefix_lists()["PrefixLists"]}
    rules = []
    for r in ec2.describe_security_group_rules()["SecurityGroupRules"]:
        if not groups.get(r["GroupId"], "").startswith(("callgate-", "existing-")):
            continue
        peer = r.get("CidrIpv4") or r.get("CidrIpv6") or lists.get(r.get("PrefixListId"), r.get("PrefixListId")) or groups.get((r.get("ReferencedGroupInfo") or {}).get("GroupId"))
        rules.append({"group": groups[r["GroupId"]], "direction": "egress" if r["IsEgress"] else "ingress", "port": r.get("FromPort"), "toPort": r.get("ToPort"), "protocol": r["IpProtocol"], "peer": peer, "description": r.get("Description", "")})
    return {"networks": networks, "services": services, "rules": rules, "groups": {name: gid for gid, name in groups.items()}}


if __name__ == "__main__":
    command = sys.argv[1]
    print(json.dumps(setup(sys.argv[2:]) if command == "setup" else readback()))
