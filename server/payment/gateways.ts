import { env } from "../config/env";
import type { GatewayName, GatewayProvider } from "./gateway";
import { sandboxGateway } from "./sandboxGateway";
import { stripeGateway } from "./stripeGateway";

/** The gateways this deployment offers: the sandbox always, Stripe when configured. */
export function enabledGateways(): GatewayProvider[] {
  const { STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET } = env();
  const gateways: GatewayProvider[] = [sandboxGateway()];
  if (STRIPE_SECRET_KEY && STRIPE_WEBHOOK_SECRET) {
    gateways.push(
      stripeGateway({ secretKey: STRIPE_SECRET_KEY, webhookSecret: STRIPE_WEBHOOK_SECRET }),
    );
  }
  return gateways;
}

/** The gateway named in a webhook URL (`/api/payments/<name>/webhook`), if offered. */
export function gatewayNamed(name: string): GatewayProvider | null {
  return enabledGateways().find((g) => g.name === (name as GatewayName)) ?? null;
}
