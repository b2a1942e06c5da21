import { accountRouter } from "./routers/account";
import { availabilityRouter } from "./routers/availability";
import { calendarFeedRouter } from "./routers/calendarFeed";
import { couponsRouter } from "./routers/coupons";
import { coursesRouter } from "./routers/courses";
import { lessonsRouter } from "./routers/lessons";
import { marketingRouter } from "./routers/marketing";
import { paymentsRouter } from "./routers/payments";
import { phoneRouter } from "./routers/phone";
import { profileRouter } from "./routers/profile";
import { promotionsRouter } from "./routers/promotions";
import { reconciliationRouter } from "./routers/reconciliation";
import { refundsRouter } from "./routers/refunds";
import { reviewsRouter } from "./routers/reviews";
import { scheduleRouter } from "./routers/schedule";
import { searchRouter } from "./routers/search";
import { settlementRouter } from "./routers/settlement";
import { teacherAdminRouter } from "./routers/teacherAdmin";
import { teachersRouter } from "./routers/teachers";
import { teachingRouter } from "./routers/teaching";
import { tradeRouter } from "./routers/trade";
import { walletRouter } from "./routers/wallet";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  profile: profileRouter,
  courses: coursesRouter,
  account: accountRouter,
  teachers: teachersRouter,
  availability: availabilityRouter,
  schedule: scheduleRouter,
  search: searchRouter,
  reviews: reviewsRouter,
  trade: tradeRouter,
  lessons: lessonsRouter,
  calendarFeed: calendarFeedRouter,
  payments: paymentsRouter,
  reconciliation: reconciliationRouter,
  wallet: walletRouter,
  settlement: settlementRouter,
  refunds: refundsRouter,
  promotions: promotionsRouter,
  marketing: marketingRouter,
  coupons: couponsRouter,
  phone: phoneRouter,
  teaching: teachingRouter,
  teacherAdmin: teacherAdminRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
