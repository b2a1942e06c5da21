import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../server/api/root";

type Outputs = inferRouterOutputs<AppRouter>;

/** One order as its student sees it (`trade.order`), lessons included. */
export type OrderDetailData = Outputs["trade"]["order"];
/** A row of the student's order list (`trade.myOrders`). */
export type OrderListItem = Outputs["trade"]["myOrders"][number];
/** A lesson booked against an order. */
export type OrderLesson = OrderDetailData["lessons"][number];
