"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import type { AppRouter } from "@/server/api/root";
import type { OrderStatus } from "@/server/trade/orderStateMachine";
import { useTRPC } from "../_trpc/client";
import { useLocalTimeZone } from "./clientTime";
import { formatMoney } from "./format";
import { TeacherAreaNotice } from "./TeacherAreaNotice";
import { TeacherOrderRefund } from "./TeacherOrderRefund";
import { lessonMinutes, lessonStatusText, lessonTimeText } from "./TimetableModel";

type TeacherOrder = inferRouterOutputs<AppRouter>["trade"]["teacherOrders"][number];

const ORDER_STATUS_TEXT: Record<OrderStatus, string> = {
  pending_payment: "Awaiting payment",
  paid: "Paid",
  active: "In use",
  completed: "All hours used",
  expired: "Expired",
  cancelled: "Cancelled",
  refund_requested: "Refund requested",
  refunded: "Refunded",
  partially_refunded: "Partly refunded",
};

/** Hours from half-hour counts, as a plain number: 3 slots → "1.5". */
const hours = (slots: number) => String(slots / 2);

const dateText = (at: Date) =>
  new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" }).format(
    at,
  );

function Loading() {
  return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
}

/** /dashboard/orders: the teacher's students' paid orders, newest first. */
export function TeacherOrderList() {
  const trpc = useTRPC();
  const orders = useQuery(trpc.trade.teacherOrders.queryOptions());
  if (orders.isPending) return <Loading />;
  if (orders.isError) {
    return (
      <TeacherAreaNotice
        error={orders.error}
        path="/dashboard/orders"
        purpose="see your students' orders"
        forbidden="Orders here are for teachers. Your own orders are under Orders in the menu."
      />
    );
  }
  if (orders.data.length === 0) {
    return (
      <p className="muted" data-testid="teacher-orders-empty">
        No orders yet. When a student buys hours of one of your courses, the order appears here.
      </p>
    );
  }
  return (
    <div className="card tt-table-wrap">
      <table className="tt-table" data-testid="teacher-orders">
        <caption className="sr-only">Your students' orders, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Student</th>
            <th scope="col">Course</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Bought
            </th>
            <th scope="col" className="num">
              Used
            </th>
            <th scope="col" className="num">
              Booked
            </th>
            <th scope="col" className="num">
              Left
            </th>
            <th scope="col" className="num">
              Total
            </th>
            <th scope="col">Date</th>
          </tr>
        </thead>
        <tbody>
          {orders.data.map((o) => (
            <OrderRow key={o.id} order={o} />
          ))}
        </tbody>
      </table>
      <p className="muted small">Hours: a lesson of 30 minutes uses half an hour.</p>
    </div>
  );
}

function OrderRow({ order: o }: { order: TeacherOrder }) {
  return (
    <tr data-testid="teacher-order" data-order-id={o.id}>
      <th scope="row">
        <Link href={`/dashboard/orders/${o.id}`}>{o.studentName}</Link>
      </th>
      <td>{o.courseTitle}</td>
      <td>{ORDER_STATUS_TEXT[o.status]}</td>
      <td className="num">{hours(o.slotsBought)} h</td>
      <td className="num">{hours(o.slotsUsed)} h</td>
      <td className="num">{hours(o.slotsBooked)} h</td>
      <td className="num">{hours(o.slotsLeft)} h</td>
      <td className="num">{formatMoney(o.payableAmount, o.currency)}</td>
      <td>
        <time dateTime={(o.paidAt ?? o.createdAt).toISOString()}>
          {dateText(o.paidAt ?? o.createdAt)}
        </time>
      </td>
    </tr>
  );
}

/** /dashboard/orders/[id]: one order of the teacher's student, with every lesson against it. */
export function TeacherOrderDetail({ orderId }: { orderId: string }) {
  const trpc = useTRPC();
  const zone = useLocalTimeZone();
  const order = useQuery(trpc.trade.teacherOrder.queryOptions({ orderId }));
  if (order.isPending || !zone) return <Loading />;
  if (order.isError) {
    return (
      <TeacherAreaNotice
        error={order.error}
        path={`/dashboard/orders/${orderId}`}
        purpose="see this order"
        forbidden="Orders here are for teachers."
      />
    );
  }
  const o = order.data;
  return (
    <div className="tt-order" data-testid="teacher-order-detail">
      <section className="card" aria-labelledby="order-summary">
        <h2 id="order-summary">
          {o.courseTitle} · {o.studentName}
        </h2>
        <dl className="tt-facts">
          <div>
            <dt>Status</dt>
            <dd>{ORDER_STATUS_TEXT[o.status]}</dd>
          </div>
          <div>
            <dt>Hours bought</dt>
            <dd>{hours(o.slotsBought)}</dd>
          </div>
          <div>
            <dt>Used</dt>
            <dd>{hours(o.slotsUsed)}</dd>
          </div>
          <div>
            <dt>Booked, not yet taken</dt>
            <dd>{hours(o.slotsBooked)}</dd>
          </div>
          <div>
            <dt>Left to book</dt>
            <dd>{hours(o.slotsLeft)}</dd>
          </div>
          <div>
            <dt>Price</dt>
            <dd>{formatMoney(o.pricePerHour, o.currency)} per hour</dd>
          </div>
          <div>
            <dt>Total paid</dt>
            <dd>
              {formatMoney(o.payableAmount, o.currency)}
              {o.discountAmount > 0 && (
                <span className="muted small">
                  {" "}
                  ({formatMoney(o.listAmount, o.currency)} less{" "}
                  {formatMoney(o.discountAmount, o.currency)} discount)
                </span>
              )}
            </dd>
          </div>
          <div>
            <dt>Bought</dt>
            <dd>{dateText(o.paidAt ?? o.createdAt)}</dd>
          </div>
          <div>
            <dt>Order number</dt>
            <dd className="tt-mono">{o.id}</dd>
          </div>
        </dl>
      </section>
      <TeacherOrderRefund orderId={o.id} />
      <section aria-labelledby="order-lessons">
        <h2 id="order-lessons">Lessons</h2>
        {o.lessons.length === 0 ? (
          <p className="muted">No lessons booked on this order yet.</p>
        ) : (
          <div className="card tt-table-wrap">
            <table className="tt-table" data-testid="teacher-order-lessons">
              <caption className="sr-only">
                Lessons booked on this order, times in {zone.replace(/_/g, " ")}
              </caption>
              <thead>
                <tr>
                  <th scope="col">When ({zone.replace(/_/g, " ")})</th>
                  <th scope="col">Length</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {o.lessons.map((l) => (
                  <tr key={l.id} data-lesson-start={l.startsAt.toISOString()}>
                    <td>
                      <time dateTime={l.startsAt.toISOString()}>
                        {lessonTimeText(l.startsAt, l.endsAt, zone)}
                      </time>
                    </td>
                    <td>{lessonMinutes(l.slots)} min</td>
                    <td>{lessonStatusText(l, "teacher")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="small">
          <Link href="/dashboard/timetable">Manage lessons in your timetable →</Link>
        </p>
      </section>
    </div>
  );
}
