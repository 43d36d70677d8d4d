/** Where a request came from, as the use cases need it: the throttles' client address and the request id for the security log. */
export interface RequestOrigin {
  /** The client address the per-client throttles count (see transport/client-address.ts). */
  client: string;
  requestId: string | undefined;
}

/** Where a request came from, for the security log when the client address is not needed for a throttle. */
export interface Origin {
  client?: string;
  requestId?: string;
}
