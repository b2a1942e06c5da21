import type { OrderStatus as Status } from "../../server/trade/orderStateMachine";
import { ORDER_STATUS_WORDS } from "./orderWords";

/** An order's status as a small badge, in words. */
export function OrderStatus(props: { status: Status }) {
  return (
    <span className="order-status" data-status={props.status} data-testid="order-status">
      {ORDER_STATUS_WORDS[props.status]}
    </span>
  );
}
