// Upstream clusters: the three services over HTTP/2 with mutual TLS, and the plain-HTTP web server.
import { type Owner, owners } from "../edge-plan.ts";
import type { Endpoint, GatewayOptions, UpstreamService } from "./options.ts";
import { clusterOf, webCluster } from "./routes.ts";
import type { Cluster, HealthCheck, OutlierDetection, SocketAddress } from "./types.ts";

const isIp = (host: string) => /^[\d.]+$/.test(host) || host.includes(":");

function address({ host, port }: Endpoint): SocketAddress {
  return { socket_address: { address: host, port_value: port } };
}

function loadAssignment(name: string, endpoints: Endpoint[]): Cluster["load_assignment"] {
  return { cluster_name: name, endpoints: [{ lb_endpoints: endpoints.map((e) => ({ endpoint: { address: address(e) } })) }] };
}

/**
 * A replica that refuses or drops connections (killed, restarting) is ejected on its first such failure, and
 * one that answers 502/503/504 or UNAVAILABLE twice in a row (draining, lost its database) after the second;
 * it comes back after 5 s (longer each time it is ejected again), earlier if the health check sees it serving.
 * At most half of the replicas are ever ejected: with two, one always takes the traffic.
 */
export const outlierDetection: OutlierDetection = {
  split_external_local_origin_errors: true,
  consecutive_local_origin_failure: 1,
  enforcing_consecutive_local_origin_failure: 100,
  consecutive_gateway_failure: 2,
  enforcing_consecutive_gateway_failure: 100,
  consecutive_5xx: 5,
  enforcing_consecutive_5xx: 100,
  interval: "1s",
  base_ejection_time: "5s",
  max_ejection_time: "60s",
  max_ejection_percent: 50,
  enforcing_success_rate: 0,
  enforcing_local_origin_success_rate: 0,
};

/**
 * The gRPC health check of every replica each second. A replica that received SIGTERM answers NOT_SERVING at
 * once and keeps serving for its drain grace period (DRAIN_GRACE_SECONDS, longer than one interval plus the
 * timeout), so Envoy stops sending it new requests before it closes its connections. One failure is enough;
 * a replica that failed is checked again every second and comes back on its first SERVING answer.
 */
export function healthCheck(san: string): HealthCheck {
  return {
    timeout: "1s",
    interval: "1s",
    interval_jitter: "0.1s",
    unhealthy_interval: "1s",
    unhealthy_edge_interval: "1s",
    no_traffic_interval: "1s",
    unhealthy_threshold: 1,
    healthy_threshold: 1,
    grpc_health_check: { service_name: "", authority: san },
  };
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
      thresholds: [
        {
          priority: "DEFAULT",
          max_connections: 1024,
          max_pending_requests: 1024,
          max_requests: 1024,
          // Retries may add at most a fifth to the requests in flight, so that when a whole service fails,
          // retries cannot multiply its load. The floor of 10 lets every request that was in flight on one
          // killed replica be retried at once at low traffic (Envoy's default floor is 3; with it, one read of
          // a kill -9 run was answered 503, which a retry budget overflow would explain).
          retry_budget: { budget_percent: { value: 20 }, min_retry_concurrency: 10 },
        },
      ],
    },
    outlier_detection: outlierDetection,
    health_checks: [healthCheck(service.san)],
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
