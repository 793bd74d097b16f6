/** Defaults the contract language promises; kept in one place so every target agrees. */
export const defaultTrustDomain = 'cluster.local';
export const defaultLatticeRanges = { ipv4: ['169.254.171.0/24'], ipv6: ['fd00:ec2:80::/64'] };
export const defaultDns = { namespace: 'kube-system', podSelector: { 'k8s-app': 'kube-dns' } };
/** The name of the cluster DNS's Service where the Platform names none: CoreDNS's on EKS. */
export const defaultDnsService = 'kube-dns';
/** The name of a cluster DNS's Service: the Platform's `dns.service`, else EKS's. */
export const dnsServiceName = (dns: { service?: string }) => dns.service ?? defaultDnsService;
export const defaultListenerPort = { http: 80, https: 443, 'tls-passthrough': 443 } as const;
export const defaultIstiod = { namespace: 'istio-system', podSelector: { app: 'istiod' } };
/** The cluster DNS domain of Kubernetes Service names (not the Istio trust domain). */
export const clusterDomain = 'cluster.local';
export const defaultStateKeyPrefix = 'callgate/';
/** Istio's east-west gateway as its multi-network installation guide deploys it. */
export const defaultEastWestGateway = {
  namespace: 'istio-system',
  podSelector: { istio: 'eastwestgateway' },
  port: 15443,
};
