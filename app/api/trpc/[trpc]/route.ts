import { handleTrpcRequest } from "@/server/api/httpHandler";
import { currentSession } from "@/server/auth";

const handler = (req: Request) => handleTrpcRequest(req, currentSession);

export { handler as GET, handler as POST };
