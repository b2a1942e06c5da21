import { z } from "zod";
import { accountTokenField } from "./accountTokenRules";

/** Emails are compared lower-cased: one account per mailbox whatever the capitalisation. */
export const emailField = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter a valid email address" }));

export const passwordField = z
  .string()
  .min(10, { message: "Use at least 10 characters" })
  .max(200, { message: "Use at most 200 characters" });

export const signUpInput = z.object({
  name: z.string().trim().min(1, { message: "Enter your name" }).max(80),
  email: emailField,
  password: passwordField,
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const signInInput = z.object({
  email: emailField,
  password: z.string().min(1).max(200),
});

export const forgotPasswordInput = z.object({ email: emailField });

export const resetPasswordInput = z.object({ token: accountTokenField, password: passwordField });

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, { message: "Enter your current password" }).max(200),
  newPassword: passwordField,
});
