"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../_trpc/client";

/**
 * An order's refunds and quote (refunds.forOrder) for the student's and the teacher's order
 * pages, and what to refresh after a refund call: refunds and the order itself.
 */
export function useOrderRefunds(orderId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refunds = useQuery(trpc.refunds.forOrder.queryOptions({ orderId }));
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.refunds.pathFilter()),
      queryClient.invalidateQueries(trpc.trade.pathFilter()),
    ]);
  return { trpc, refunds, refresh };
}
