"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTRPC } from "../_trpc/client";

/**
 * After a lesson changes: every timetable window, the orders (hours left) and the free slots
 * (a cancelled or moved lesson frees its time) are refetched.
 */
export function useTimetableRefresh() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries(trpc.lessons.timetable.pathFilter()),
        queryClient.invalidateQueries(trpc.trade.pathFilter()),
        queryClient.invalidateQueries(trpc.availability.free.pathFilter()),
      ]),
    [queryClient, trpc],
  );
}
