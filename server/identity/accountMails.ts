import type { MailMessage } from "../mail";

/**
 * The words of account mails. Pure. Links are absolute when the public URL is known (AUTH_URL);
 * without it (the embedded demo) they are paths, which the development mailbox links as they are.
 */
export function accountLink(
  base: string | null,
  path: "/verify-email" | "/reset-password",
  token: string,
): string {
  return `${base ?? ""}${path}?token=${token}`;
}

export function verificationMail(
  to: { email: string; name: string | null },
  link: string,
): MailMessage {
  return {
    to: to.email,
    subject: "Confirm your email address for Halfhour",
    text: [
      `Hello${to.name ? ` ${to.name}` : ""},`,
      "",
      "Please confirm that this is your email address by opening this link:",
      "",
      link,
      "",
      "The link works once, for 24 hours. If you did not create a Halfhour account, ignore this mail.",
      "",
      "Halfhour",
    ].join("\n"),
  };
}

export function passwordResetMail(
  to: { email: string; name: string | null },
  link: string,
): MailMessage {
  return {
    to: to.email,
    subject: "Reset your Halfhour password",
    text: [
      `Hello${to.name ? ` ${to.name}` : ""},`,
      "",
      "Someone (we hope you) asked to reset the password of your Halfhour account. To choose a new password, open this link:",
      "",
      link,
      "",
      "The link works once, for 1 hour. Setting a new password signs you out everywhere else.",
      "If you did not ask for this, ignore this mail: your password stays as it is.",
      "",
      "Halfhour",
    ].join("\n"),
  };
}
