import { DomainError } from "../domainError";
import type { SlotAction } from "./slotTransitions";

/** A compare-and-set lost: the slots were no longer in the state the action needs. */
export class SlotConflict extends DomainError {
  constructor(
    readonly action: SlotAction,
    readonly start: Date,
    message = "Your calendar changed in the meantime; nothing was saved. Reload and try again.",
  ) {
    super("conflict", message, "start");
    this.name = "SlotConflict";
  }
}

/** The race students lose: someone else reserved that half hour first. */
export class SlotTaken extends SlotConflict {
  constructor(start: Date) {
    super("reserve", start, "That time was just taken. Please pick another.");
    this.name = "SlotTaken";
  }
}
