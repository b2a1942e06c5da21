/**
 * The port for text messages. Identity sends one-time codes through it; which adapter runs is
 * decided in ./index.ts (Twilio when configured, else the development sink).
 */
export interface SmsSender {
  readonly kind: "twilio" | "development";
  /** Sends `text` to `to` (E.164). Rejects with SmsNotSent when the message did not go out. */
  send(to: string, text: string): Promise<void>;
}

/** A message that was not sent. */
export class SmsNotSent extends Error {
  constructor(
    message: string,
    /** The provider refused the recipient (not a mobile, invalid, opted out): retrying won't help. */
    readonly recipientRejected = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SmsNotSent";
  }
}
