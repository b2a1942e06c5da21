import { and, eq } from "drizzle-orm";
import { courses, courseVersions } from "../../db/schema";

/** Join condition: the version of each course that students buy now. */
export const isCurrentVersion = and(
  eq(courseVersions.courseId, courses.id),
  eq(courseVersions.version, courses.currentVersion),
);
