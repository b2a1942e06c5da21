import { handlers } from "@/server/auth";
import { guardSignIn } from "@/server/auth/guardSignIn";

export const { GET } = handlers;
export const POST = guardSignIn(handlers.POST);
