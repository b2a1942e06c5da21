import { type SQL, sql } from "drizzle-orm";
import { type Executor, queryRows } from "../../db/client";

/**
 * The search document of teachers, recomputed in one INSERT … SELECT … ON CONFLICT statement
 * from teachers, teacher_subjects, subjects, courses and their current versions:
 *
 * - `document`: weight A the display name; B the headline, the subjects (English and Chinese
 *   names, slug) and the titles of the current versions of active courses; C the bio. Parsed
 *   with the `simple` configuration (no stemming, no stop words), like the query.
 * - `name`: the display name lower-cased, for fuzzy (trigram) name matching.
 * - `haystack`: all of the above lower-cased, one field per line, for trigram word similarity
 *   and substring (ILIKE) matching, which also finds Chinese words the parser does not split.
 */
function upsertDocuments(where: SQL): SQL {
  return sql`
    INSERT INTO teacher_search AS s (teacher_id, document, name, haystack, refreshed_at)
    SELECT t.id,
           setweight(to_tsvector('simple', t.display_name), 'A')
             || setweight(to_tsvector('simple', concat_ws(' ', t.headline, subj.names, crs.titles)), 'B')
             || setweight(to_tsvector('simple', t.bio), 'C'),
           lower(t.display_name),
           lower(concat_ws(E'\n', t.display_name, t.headline, subj.names, crs.titles, t.bio)),
           now()
    FROM teachers t
    LEFT JOIN LATERAL (
      SELECT string_agg(concat_ws(' ', sj.name, sj.name_zh, sj.slug), E'\n' ORDER BY sj.sort_order, sj.slug) AS names
      FROM subjects sj
      WHERE sj.slug IN (
        SELECT ts.subject_slug FROM teacher_subjects ts WHERE ts.teacher_id = t.id
        UNION
        SELECT c.subject_slug FROM courses c WHERE c.teacher_id = t.id AND c.status = 'active'
      )
    ) subj ON true
    LEFT JOIN LATERAL (
      SELECT string_agg(cv.title, E'\n' ORDER BY c.id) AS titles
      FROM courses c
      JOIN course_versions cv ON cv.course_id = c.id AND cv.version = c.current_version
      WHERE c.teacher_id = t.id AND c.status = 'active'
    ) crs ON true
    WHERE ${where}
    ON CONFLICT (teacher_id) DO UPDATE
      SET document = excluded.document,
          name = excluded.name,
          haystack = excluded.haystack,
          refreshed_at = excluded.refreshed_at
    RETURNING s.teacher_id`;
}

/**
 * Recomputes one teacher's search document. Call it in the same transaction as any write that
 * changes what the document summarises (display name, headline, bio, subjects, a course's
 * status or current version), after those writes: `await refreshTeacherSearch(tx, teacherId)`.
 * Listing status is not part of the document (search checks it live), so approving or
 * suspending a teacher needs no refresh.
 */
export async function refreshTeacherSearch(db: Executor, teacherId: string): Promise<void> {
  await db.execute(upsertDocuments(sql`t.id = ${teacherId}::bigint`));
}

/** Recomputes every teacher's search document (after the demo seed, or to repair). */
export async function refreshAllTeacherSearch(db: Executor): Promise<number> {
  const rows = await queryRows<{ teacher_id: string }>(db, upsertDocuments(sql`true`));
  return rows.length;
}
