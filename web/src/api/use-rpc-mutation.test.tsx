import { createRouterTransport } from "@connectrpc/connect";
import { TransportProvider, useQuery } from "@connectrpc/connect-query";
import { FriendshipService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { ProfileService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import { useRpcMutation } from "./use-rpc-mutation.ts";

describe("useRpcMutation", () => {
  it("refetches the queries of the services it names and leaves the others alone", async () => {
    const calls = { listFriendships: 0, getMyProfile: 0, deleteFriendship: 0 };
    const transport = createRouterTransport(({ service }) => {
      service(FriendshipService, {
        listFriendships: () => {
          calls.listFriendships += 1;
          return {};
        },
        deleteFriendship: () => {
          calls.deleteFriendship += 1;
          return {};
        },
      });
      service(ProfileService, {
        getMyProfile: () => {
          calls.getMyProfile += 1;
          return {};
        },
      });
    });
    const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Number.POSITIVE_INFINITY, retry: false } } });
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TransportProvider transport={transport}>
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      </TransportProvider>
    );
    const { result } = renderHook(
      () => ({
        friendships: useQuery(FriendshipService.method.listFriendships, {}),
        profile: useQuery(ProfileService.method.getMyProfile, {}),
        remove: useRpcMutation(FriendshipService.method.deleteFriendship, [FriendshipService]),
      }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.friendships.isSuccess && result.current.profile.isSuccess).toBe(true));
    expect(calls).toEqual({ listFriendships: 1, getMyProfile: 1, deleteFriendship: 0 });

    await act(() => result.current.remove({ id: "f1" }));
    await waitFor(() => expect(calls.listFriendships).toBe(2));
    expect(calls).toEqual({ listFriendships: 2, getMyProfile: 1, deleteFriendship: 1 });
  });
});
