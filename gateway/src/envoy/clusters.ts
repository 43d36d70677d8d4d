// Upstream clusters: the three services over HTTP/2 with mutual TLS, and the plain-HTTP web server.
import type { Owner } from "@identity/proto/contract";
import type { Endpoint, GatewayOptions, UpstreamService } from "./options.ts";
import { clusterOf, webCluster } from "./routes.ts";
import type { Cluster, SocketAddress } from "./types.ts";

export const owners: readonly Owner[] = ["auth", "profile", "friendship"];

const isIp = (host: string) => /^[\d.]+$/.test(host) || host.includes(":");

function address({ host, port }: Endpoint): SocketAddress {
  return { socket_address: { address: host, port_value: port } };
}

function loadAssignment(name: string, endpoints: Endpoint[]): Cluster["load_assignment"] {
  return { cluster_name: name, endpoints: [{ lb_endpoints: endpoints.map((e) => ({ endpoint: { address: address(e) } })) }] };
}

/**
 * Envoy presents its own certificate (SAN envoy.identity.internal) and accepts the service only if its chain
 * ends at the platform CA and it carries exactly the service's SAN: a certificate of the right CA for another
 * name is refused, whatever address the endpoint has. SNI carries the same name.
 */
function serviceCluster(owner: Owner, service: UpstreamService, options: GatewayOptions): Cluster {
  const name = clusterOf(owner);
  return {
    name,
    type: service.endpoints.every((e) => isIp(e.host)) ? "STATIC" : "STRICT_DNS",
    connect_timeout: "2s",
    lb_policy: "LEAST_REQUEST",
    per_connection_buffer_limit_bytes: 32768,
    typed_extension_protocol_options: {
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
        "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
        explicit_http_config: {
          http2_protocol_options: {
            max_concurrent_streams: 100,
            initial_stream_window_size: 65536,
            initial_connection_window_size: 1048576,
          },
        },
        common_http_protocol_options: { idle_timeout: "300s" },
      },
    },
    circuit_breakers: {
      thresholds: [{ priority: "DEFAULT", max_connections: 1024, max_pending_requests: 1024, max_requests: 1024, max_retries: 3 }],
    },
    health_checks: [
      {
        timeout: "1s",
        interval: "5s",
        no_traffic_interval: "5s",
        unhealthy_threshold: 2,
        healthy_threshold: 1,
        grpc_health_check: { service_name: "", authority: service.san },
      },
    ],
    transport_socket: {
      name: "envoy.transport_sockets.tls",
      typed_config: {
        "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
        sni: service.san,
        common_tls_context: {
          // Envoy as a client stops at TLS 1.2 unless told otherwise.
          tls_params: { tls_minimum_protocol_version: "TLSv1_3", tls_maximum_protocol_version: "TLSv1_3" },
          alpn_protocols: ["h2"],
          tls_certificates: [{ certificate_chain: { filename: options.certs.cert }, private_key: { filename: options.certs.key } }],
          validation_context: {
            trusted_ca: { filename: options.certs.ca },
            match_typed_subject_alt_names: [{ san_type: "DNS", matcher: { exact: service.san } }],
          },
        },
      },
    },
    load_assignment: loadAssignment(name, service.endpoints),
  };
}

function webClusterOf(options: GatewayOptions): Cluster {
  return {
    name: webCluster,
    type: isIp(options.web.host) ? "STATIC" : "STRICT_DNS",
    connect_timeout: "2s",
    lb_policy: "ROUND_ROBIN",
    per_connection_buffer_limit_bytes: 32768,
    load_assignment: loadAssignment(webCluster, [options.web]),
  };
}

export function buildClusters(options: GatewayOptions): Cluster[] {
  return [...owners.map((owner) => serviceCluster(owner, options.services[owner], options)), webClusterOf(options)];
}
