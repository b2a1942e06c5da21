"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Fragment } from "react";
import { isSnowflakeId } from "../../server/ids/snowflake";
import { BOOKABLE_ORDER_STATUSES } from "../../server/trade/orderStateMachine";
import { useTRPC } from "../_trpc/client";
import { AreaNotice, httpStatusOf } from "./AreaNotice";
import { CancelOrderButton } from "./CancelOrderButton";
import { formatMoney } from "./format";
import { HoldCountdown } from "./HoldCountdown";
import { LessonPicker } from "./LessonPicker";
import { OrderLessons } from "./OrderLessons";
import { OrderRefund } from "./OrderRefund";
import { OrderStatus } from "./OrderStatus";
import type { OrderDetailData } from "./orderTypes";
import { formatDate, formatHours } from "./orderWords";
import { PayOrderButton } from "./PayOrderButton";
import { useViewerTimeZone } from "./useViewerTimeZone";

/** While an unpaid order's hold has lapsed by this browser's clock, ask again this often. */
const EXPIRY_RECHECK_MS = 3_000;

/** One of the signed-in student's orders: status, what was bought, hours, lessons, actions. */
export function OrderDetail(props: { orderId: string }) {
  const trpc = useTRPC();
  const zone = useViewerTimeZone();
  const validId = isSnowflakeId(props.orderId);
  const order = useQuery({
    ...trpc.trade.order.queryOptions({ orderId: props.orderId }),
    enabled: validId,
    // A lapsed hold reads as expired once the server's clock agrees; until then, ask again.
    refetchInterval: (query) => {
      const data = query.state.data;
      return data?.status === "pending_payment" && data.holdExpiresAt.getTime() <= Date.now()
        ? EXPIRY_RECHECK_MS
        : false;
    },
  });

  if (!validId || httpStatusOf(order.error) === 404) {
    return (
      <p className="notice" role="alert">
        No such order. <Link href="/me/orders">See your orders</Link>
      </p>
    );
  }
  if (order.isError) {
    return (
      <AreaNotice
        error={order.error}
        audience="student"
        path={`/me/orders/${props.orderId}`}
        purpose="see this order"
        forbidden="Orders are for student accounts: this page shows what a student bought."
      />
    );
  }
  if (order.isPending || !zone) {
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  }
  return <OrderView order={order.data} zone={zone} onExpired={() => order.refetch()} />;
}

function OrderView(props: { order: OrderDetailData; zone: string; onExpired: () => void }) {
  const { order, zone } = props;
  const money = (minor: number) => formatMoney(minor, order.currency);
  const holdsTime = order.lessons.some((l) => l.status === "held");
  const canBook = BOOKABLE_ORDER_STATUSES.includes(order.status) && order.slotsLeft > 0;

  return (
    <div className="order-detail" data-testid="order-detail" data-order-id={order.id}>
      <header className="order-head">
        <h2>
          {order.courseTitle} with{" "}
          <Link href={`/teachers/${order.teacherId}`}>{order.teacherName}</Link>
        </h2>
        <p className="row">
          <OrderStatus status={order.status} />
          <span className="muted small">
            Order {order.id} · placed {formatDate(order.createdAt, zone)}
            {order.paidAt && ` · paid ${formatDate(order.paidAt, zone)}`}
          </span>
        </p>
      </header>

      {order.status === "pending_payment" && (
        <section className="card order-pending" aria-label="Awaiting payment">
          <HoldCountdown
            expiresAt={order.holdExpiresAt}
            label={holdsTime ? "Your time is held for" : "This order waits for payment for"}
            onExpired={props.onExpired}
          />
          {order.holdExpiresAt.getTime() > Date.now() && (
            <PayOrderButton
              orderId={order.id}
              amount={order.payableAmount}
              currency={order.currency}
            />
          )}
          <p className="muted small">
            Pay from your wallet at once, or on the payment gateway's page; until then nothing has
            been charged.
          </p>
          <CancelOrderButton orderId={order.id} />
        </section>
      )}

      <div className="order-facts">
        <section className="card" aria-labelledby="order-bought">
          <h3 id="order-bought">As bought</h3>
          <dl className="facts">
            <dt>Course</dt>
            <dd>{order.courseTitle}</dd>
            <dt>Teacher</dt>
            <dd>{order.teacherName}</dd>
            <dt>Price per hour</dt>
            <dd>{money(order.pricePerHour)}</dd>
          </dl>
          <p className="muted small">Later changes to the course do not change this order.</p>
        </section>

        <section className="card" aria-labelledby="order-amounts">
          <h3 id="order-amounts">Amounts</h3>
          <dl className="facts">
            <dt>List price</dt>
            <dd>{money(order.listAmount)}</dd>
            {order.discounts.length > 0 ? (
              order.discounts.map((d) => (
                <Fragment key={d.source}>
                  <dt>{d.source === "coupon" ? `Coupon: ${d.title}` : `Promotion: ${d.title}`}</dt>
                  <dd data-testid={`order-discount-${d.source}`}>−{money(d.amount)}</dd>
                </Fragment>
              ))
            ) : (
              <>
                <dt>Discount</dt>
                <dd>{money(0)}</dd>
              </>
            )}
            <dt>To pay</dt>
            <dd data-testid="order-payable">
              <strong>{money(order.payableAmount)}</strong>
            </dd>
          </dl>
        </section>

        <section className="card" aria-labelledby="order-hours">
          <h3 id="order-hours">Hours</h3>
          <dl className="facts" data-testid="order-hours">
            <dt>Bought</dt>
            <dd>{formatHours(order.slotsBought)}</dd>
            <dt>Booked</dt>
            <dd>{formatHours(order.slotsBooked)}</dd>
            <dt>Used</dt>
            <dd>{formatHours(order.slotsUsed)}</dd>
            <dt>Left</dt>
            <dd data-testid="order-hours-left">
              <strong>{formatHours(order.slotsLeft)}</strong>
            </dd>
          </dl>
        </section>
      </div>

      {!["pending_payment", "expired", "cancelled"].includes(order.status) && (
        <OrderRefund orderId={order.id} />
      )}

      {canBook && (
        <LessonPicker
          orderId={order.id}
          teacherId={order.teacherId}
          slotsLeft={order.slotsLeft}
          zone={zone}
        />
      )}

      <section aria-labelledby="order-lessons">
        <h2 id="order-lessons">Lessons</h2>
        <OrderLessons lessons={order.lessons} zone={zone} />
      </section>
    </div>
  );
}
