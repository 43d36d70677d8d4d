// A mutation of the API through connect-query's useMutation (the transport of the TransportProvider), which
// refreshes exactly the queries it can have changed: those of the services it names, and no others.
import type { DescMessage, DescMethodUnary, DescService, MessageInitShape } from "@bufbuild/protobuf";
import { createConnectQueryKey, useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";

/** Returns the mutation's promise-returning call; the queries of `affects` are invalidated once it settles. */
export function useRpcMutation<I extends DescMessage, O extends DescMessage>(
  method: DescMethodUnary<I, O>,
  affects: readonly DescService[],
) {
  const queryClient = useQueryClient();
  const mutation = useMutation(method, {
    onSettled: () =>
      Promise.all(
        affects.map((service) =>
          queryClient.invalidateQueries({ queryKey: createConnectQueryKey({ schema: service, cardinality: undefined }) }),
        ),
      ),
  });
  return (input: MessageInitShape<I>) => mutation.mutateAsync(input);
}
