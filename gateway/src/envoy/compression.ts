// Compression at the edge (Envoy's compressor filter, brotli preferred, gzip otherwise), for the web app's
// files and the API docs only. The filters are off in the chain and switched on per route by webRoute():
// no RPC or REST answer is ever compressed, because those carry tokens and secrets next to text an attacker
// can reflect (BREACH). The embedded gateway does the same, with the same types and threshold
// (gateway/src/docs/compression.ts).
import { compressibleContentTypes, compressionMinBytes } from "../docs/compression.ts";
import type { CompressorFilter, FilterEnabled, HttpFilter } from "./types.ts";

const ext = "type.googleapis.com/envoy.extensions";
export const brotliFilterName = "envoy.filters.http.compressor.brotli";
export const gzipFilterName = "envoy.filters.http.compressor.gzip";

function compressor(library: "brotli" | "gzip"): CompressorFilter {
  return {
    "@type": `${ext}.filters.http.compressor.v3.Compressor`,
    // Browsers list gzip before br; at equal q-values Envoy takes the compressor marked to be chosen first.
    choose_first: library === "brotli",
    response_direction_config: {
      common_config: { min_content_length: compressionMinBytes, content_type: compressibleContentTypes },
    },
    compressor_library:
      library === "brotli"
        ? { name: "brotli", typed_config: { "@type": `${ext}.compression.brotli.compressor.v3.Brotli`, quality: 5 } }
        : {
            name: "gzip",
            typed_config: { "@type": `${ext}.compression.gzip.compressor.v3.Gzip`, compression_level: "DEFAULT_COMPRESSION" },
          },
  };
}

/**
 * The two compressors, disabled unless a route enables them.
 */
export function compressionFilters(): HttpFilter[] {
  return [
    { name: gzipFilterName, typed_config: compressor("gzip"), disabled: true },
    { name: brotliFilterName, typed_config: compressor("brotli"), disabled: true },
  ];
}

// Envoy wants a configuration with the switch; the compressor's per-route one, changing nothing.
const enabled: FilterEnabled = {
  "@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig",
  disabled: false,
  config: { "@type": `${ext}.filters.http.compressor.v3.CompressorPerRoute`, overrides: { response_direction_config: {} } },
};

/** typed_per_filter_config entries of a route whose answers may be compressed (static files, docs). */
export const compressionOn = { [brotliFilterName]: enabled, [gzipFilterName]: enabled } as const;
