"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../_trpc/client";
import { AreaNotice } from "./AreaNotice";
import { formatMoney } from "./format";
import { OrderStatus } from "./OrderStatus";
import { formatDate, formatHours } from "./orderWords";
import { useViewerTimeZone } from "./useViewerTimeZone";

/** The signed-in student's orders, newest first, each linking to its detail. */
export function StudentOrders() {
  const trpc = useTRPC();
  const zone = useViewerTimeZone();
  const orders = useQuery(trpc.trade.myOrders.queryOptions());

  if (orders.isError) {
    return (
      <AreaNotice
        error={orders.error}
        audience="student"
        path="/me/orders"
        purpose="see your orders"
        forbidden="This page is for students: it lists the lessons and hours a student bought."
      />
    );
  }
  if (orders.isPending || !zone) {
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  }
  if (orders.data.length === 0) {
    return (
      <p className="empty" data-testid="orders-empty">
        You have no orders yet. <Link href="/search">Find a teacher</Link> and book your first
        lesson.
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="orders-table" data-testid="orders">
        <caption className="sr-only">Your orders, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Course</th>
            <th scope="col">Teacher</th>
            <th scope="col">Status</th>
            <th scope="col">Hours left</th>
            <th scope="col">Total</th>
            <th scope="col">Ordered</th>
          </tr>
        </thead>
        <tbody>
          {orders.data.map((order) => (
            <tr key={order.id} data-testid="order-row" data-order-id={order.id}>
              <th scope="row">
                <Link href={`/me/orders/${order.id}`}>{order.courseTitle}</Link>
              </th>
              <td>{order.teacherName}</td>
              <td>
                <OrderStatus status={order.status} />
              </td>
              <td>
                {formatHours(order.slotsLeft)}{" "}
                <span className="muted small">of {formatHours(order.slotsBought)}</span>
              </td>
              <td>{formatMoney(order.payableAmount, order.currency)}</td>
              <td>{formatDate(order.createdAt, zone)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
