package dev.conveyor.it;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the rendered NetworkPolicies allow, decided as Kubernetes decides it: a pod that a policy of a direction selects
 * is isolated in that direction, and then only what some rule of those policies allows gets through (rules add up).
 * Peers are pods (by labels, in the install's namespace unless a namespace selector says otherwise), namespaces (by
 * labels) or IP blocks; no peers means every source or destination, no ports every port.
 */
final class ManifestsNetworkPolicies {

    /** The namespace the install goes into (kustomize sets none, so any): its automatic name label. */
    static final String INSTALL_NAMESPACE = "conveyor";

    /** One end of a connection: a pod (its labels and its namespace's labels) or an address outside the cluster. */
    record Peer(Map<String, String> podLabels, Map<String, String> namespaceLabels, String ip) {

        static Peer pod(Map<String, String> labels) {
            return pod(labels, INSTALL_NAMESPACE);
        }

        static Peer pod(Map<String, String> labels, String namespace) {
            return new Peer(labels, Map.of("kubernetes.io/metadata.name", namespace), null);
        }

        static Peer address(String ip) {
            return new Peer(null, null, ip);
        }

        @Override
        public String toString() {
            return ip != null ? ip : podLabels + " in " + namespaceLabels;
        }
    }

    private final List<JsonNode> policies;

    ManifestsNetworkPolicies(List<JsonNode> objects) {
        this.policies = Manifests.ofKind(objects, "NetworkPolicy");
    }

    /** Whether {@code from} may open a connection to {@code to} on {@code port}/{@code protocol}. */
    boolean allows(Peer from, Peer to, int port, String protocol) {
        return (to.ip() != null || allowedBy("Ingress", "ingress", "from", to, from, port, protocol))
                && (from.ip() != null || allowedBy("Egress", "egress", "to", from, to, port, protocol));
    }

    boolean allows(Peer from, Peer to, int port) {
        return allows(from, to, port, "TCP");
    }

    private boolean allowedBy(String type, String rulesField, String peersField, Peer pod, Peer other, int port,
            String protocol) {
        List<JsonNode> isolating = policies.stream()
                .filter(policy -> selects(policy.path("spec").path("podSelector"), pod.podLabels())
                        && policyTypes(policy).contains(type))
                .toList();
        if (isolating.isEmpty()) {
            return true;
        }
        for (JsonNode policy : isolating) {
            for (JsonNode rule : policy.path("spec").path(rulesField)) {
                if (portMatches(rule.path("ports"), port, protocol) && peerMatches(rule.path(peersField), other)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> policyTypes(JsonNode policy) {
        JsonNode types = policy.path("spec").path("policyTypes");
        if (types.isMissingNode()) {
            // Kubernetes' default: Ingress, plus Egress when egress rules are given
            return policy.path("spec").has("egress") ? List.of("Ingress", "Egress") : List.of("Ingress");
        }
        return texts(types);
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static boolean portMatches(JsonNode ports, int port, String protocol) {
        if (ports.isMissingNode() || ports.isEmpty()) {
            return true;
        }
        for (JsonNode entry : ports) {
            boolean sameProtocol = entry.path("protocol").asText("TCP").equals(protocol);
            boolean samePort = !entry.has("port") || entry.path("port").asInt(-1) == port;
            if (sameProtocol && samePort) {
                return true;
            }
        }
        return false;
    }

    private static boolean peerMatches(JsonNode peers, Peer other) {
        if (peers.isMissingNode() || peers.isEmpty()) {
            return true;
        }
        for (JsonNode peer : peers) {
            if (peer.has("ipBlock")) {
                if (other.ip() != null && inBlock(peer.path("ipBlock"), other.ip())) {
                    return true;
                }
                continue;
            }
            if (other.ip() != null) {
                continue;
            }
            boolean namespaceMatches = peer.has("namespaceSelector")
                    ? selects(peer.path("namespaceSelector"), other.namespaceLabels())
                    : other.namespaceLabels().get("kubernetes.io/metadata.name").equals(INSTALL_NAMESPACE);
            boolean podMatches = !peer.has("podSelector") || selects(peer.path("podSelector"), other.podLabels());
            if (namespaceMatches && podMatches) {
                return true;
            }
        }
        return false;
    }

    /** A Kubernetes label selector: matchLabels and matchExpressions all hold; an empty selector selects all. */
    static boolean selects(JsonNode selector, Map<String, String> labels) {
        if (labels == null) {
            return false;
        }
        Iterator<Map.Entry<String, JsonNode>> matchLabels = selector.path("matchLabels").fields();
        while (matchLabels.hasNext()) {
            Map.Entry<String, JsonNode> entry = matchLabels.next();
            if (!entry.getValue().asText().equals(labels.get(entry.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String value = labels.get(expression.path("key").asText());
            List<String> values = texts(expression.path("values"));
            boolean holds = switch (expression.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("unknown selector operator in " + expression);
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    private static boolean inBlock(JsonNode block, String ip) {
        if (!inCidr(block.path("cidr").asText(), ip)) {
            return false;
        }
        for (JsonNode except : block.path("except")) {
            if (inCidr(except.asText(), ip)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the literal address {@code ip} is in {@code cidr}; an IPv4 address is never in an IPv6 block. */
    static boolean inCidr(String cidr, String ip) {
        String[] parts = cidr.split("/");
        byte[] network = literal(parts[0]);
        byte[] address = literal(ip);
        if (network.length != address.length) {
            return false;
        }
        int bits = address.length * 8;
        int prefix = Integer.parseInt(parts[1]);
        BigInteger mask = prefix == 0 ? BigInteger.ZERO
                : BigInteger.ONE.shiftLeft(prefix).subtract(BigInteger.ONE).shiftLeft(bits - prefix);
        return new BigInteger(1, network).and(mask).equals(new BigInteger(1, address).and(mask));
    }

    /**
     * The bytes of a literal IPv4 or IPv6 address, kept at its written length: an IPv4-mapped IPv6 address stays 16
     * bytes, as a packet carries it (InetAddress would turn it into 4). Literals only, so nothing is resolved.
     */
    private static byte[] literal(String ip) {
        try {
            if (!ip.contains(":")) {
                return InetAddress.getByName(ip).getAddress();
            }
            byte[] bytes = InetAddress.getByName(ip).getAddress();
            if (bytes.length == 16) {
                return bytes;
            }
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            return mapped;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + ip, e);
        }
    }
}
