"""AWS calls of the end-to-end test, through boto3 against the moto endpoint in AWS_ENDPOINT_URL.

Each account is reached as a pipeline would: by assuming a role in it (moto answers for any role).

  setup JSON       {"<vpc or sg id>": "<account>"}: create each VPC, and each security group in
                   the first VPC of its account; print {given: real}
  readback ACCT... print the service networks, services, their auth policies, RAM shares, VPC
                   associations and every security group rule of these accounts, as JSON
  bucket NAME      create the state bucket in the environment's own account
  objects NAME [--etags]  print the state objects in that bucket, sorted: their keys (lock files
                   aside), or with --etags every object with its ETag
  retries          authorize one ingress rule as the SDK's attempts 1 and 2 of one invocation,
                   then as a new invocation, then as that one's attempt 2; print what each got
                   and how many ingress rules the group has (the shim's replay, moto_shim.py)
"""
import json
import os
import sys

import boto3

kw = dict(region_name=os.environ.get("AWS_REGION", "us-west-2"), endpoint_url=os.environ["AWS_ENDPOINT_URL"])


def client(service, account=None):
    if account is None:
        return boto3.client(service, **kw)
    creds = boto3.client("sts", **kw).assume_role(RoleArn=f"arn:aws:iam::{account}:role/callgate-e2e", RoleSessionName="e2e")["Credentials"]
    return boto3.client(service, aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"], **kw)


def setup(owners):
    real = {}
    n = 0
    first = {}
    for vpc, account in owners.items():
        if vpc.startswith("vpc-"):
            n += 1
            real[vpc] = client("ec2", account).create_vpc(CidrBlock=f"10.{n}.0.0/16")["Vpc"]["VpcId"]
            first.setdefault(account, real[vpc])
    for sg, account in owners.items():
        if sg.startswith("sg-"):
            vpc = first.get(account) or client("ec2", account).create_vpc(CidrBlock="10.250.0.0/16")["Vpc"]["VpcId"]
            first[account] = vpc
            real[sg] = client("ec2", account).create_security_group(GroupName=f"existing-{sg}", Description="existing group", VpcId=vpc)["GroupId"]
    return real


def readback(accounts):
    out = {"networks": [], "services": [], "rules": [], "groups": {}, "shares": [], "vpcAssociations": []}
    groups, rules_raw = {}, []
    for account in accounts:
        lattice, ec2, ram = client("vpc-lattice", account), client("ec2", account), client("ram", account)

        def policy_of(arn):
            try:
                return json.loads(lattice.get_auth_policy(resourceIdentifier=arn)["policy"])
            except lattice.exceptions.ResourceNotFoundException:
                return None

        for n in lattice.list_service_networks()["items"]:
            if n["arn"].split(":")[4] == account:
                out["networks"].append({"account": account, "name": n["name"], "arn": n["arn"], "authType": lattice.get_service_network(serviceNetworkIdentifier=n["id"])["authType"], "policy": policy_of(n["arn"])})
        for s in lattice.list_services()["items"]:
            out["services"].append({"account": account, "name": s["name"], "arn": s["arn"], "authType": lattice.get_service(serviceIdentifier=s["id"]).get("authType"), "policy": policy_of(s["arn"])})
        for a in lattice.list_service_network_vpc_associations()["items"]:
            out["vpcAssociations"].append({"account": account, "vpc": a["vpcId"], "network": a["serviceNetworkArn"]})
        for share in ram.get_resource_shares(resourceOwner="SELF")["resourceShares"]:
            arn = share["resourceShareArn"]
            assoc = lambda kind: sorted(a["associatedEntity"] for a in ram.get_resource_share_associations(associationType=kind, resourceShareArns=[arn])["resourceShareAssociations"])
            out["shares"].append({"account": account, "name": share["name"], "principals": assoc("PRINCIPAL"), "resources": assoc("RESOURCE")})
        for g in ec2.describe_security_groups()["SecurityGroups"]:
            groups[g["GroupId"]] = g["GroupName"]
        lists = {p["PrefixListId"]: p["PrefixListName"] for p in ec2.describe_managed_prefix_lists()["PrefixLists"]}
        rules_raw += [(account, r, lists) for r in ec2.describe_security_group_rules()["SecurityGroupRules"]]
    for account, r, lists in rules_raw:
        if not groups.get(r["GroupId"], "").startswith(("callgate-", "existing-")):
            continue
        peer = r.get("CidrIpv4") or r.get("CidrIpv6") or lists.get(r.get("PrefixListId"), r.get("PrefixListId")) or groups.get((r.get("ReferencedGroupInfo") or {}).get("GroupId"))
        out["rules"].append({"account": account, "group": groups[r["GroupId"]], "direction": "egress" if r["IsEgress"] else "ingress", "port": r.get("FromPort"), "toPort": r.get("ToPort"), "protocol": r["IpProtocol"], "peer": peer, "description": r.get("Description", "")})
    out["groups"] = {name: gid for gid, name in groups.items()}
    return out


def retries():
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.251.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="retries", Description="retries", VpcId=vpc)["GroupId"]
    sent = {}
    # The Go SDK's headers, which botocore does not send: the invocation and its attempt.
    ec2.meta.events.register("before-send.ec2.AuthorizeSecurityGroupIngress", lambda request, **_: request.headers.update(sent))
    rule = [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "10.1.0.0/16"}]}]
    got = []
    for invocation, attempt in [("one", 1), ("one", 2), ("two", 1), ("two", 2)]:
        sent.update({"amz-sdk-invocation-id": invocation, "amz-sdk-request": f"attempt={attempt}; max=3"})
        try:
            answer = ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=rule)
            got.append(answer["SecurityGroupRules"][0]["SecurityGroupRuleId"])
        except ec2.exceptions.ClientError as err:
            got.append(err.response["Error"]["Code"])
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])["SecurityGroupRules"]
    return {"answers": got, "ingress": len([r for r in rules if not r["IsEgress"]])}


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        print(json.dumps(setup(json.loads(sys.argv[2]))))
    elif command == "objects":
        objects = client("s3").list_objects_v2(Bucket=sys.argv[2]).get("Contents", [])
        if sys.argv[3:] == ["--etags"]:
            print(json.dumps(sorted(f"{o['Key']} {o['ETag']}" for o in objects)))
        else:
            print(json.dumps(sorted(o["Key"] for o in objects if not o["Key"].endswith(".tflock"))))
    elif command == "retries":
        print(json.dumps(retries()))
    elif command == "bucket":
        client("s3").create_bucket(Bucket=sys.argv[2], CreateBucketConfiguration={"LocationConstraint": kw["region_name"]})
        print("{}")
    else:
        print(json.dumps(readback(sys.argv[2:])))
