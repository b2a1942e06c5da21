import { createPublicContext } from "./context";
import { createCaller } from "./root";

/**
 * The server-side caller for server components rendering public data. It reads no headers
 * and no session, so the pages that use it stay static and CDN-cacheable.
 */
export const publicCaller = () => createCaller(createPublicContext());
