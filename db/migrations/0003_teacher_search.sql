-- Added by hand: drizzle-kit does not write extensions. pg_trgm serves fuzzy and CJK-friendly search.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "teacher_search" (
	"teacher_id" bigint PRIMARY KEY NOT NULL,
	"document" "tsvector" NOT NULL,
	"name" text NOT NULL,
	"haystack" text NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "teacher_search" ADD CONSTRAINT "teacher_search_teacher_id_teachers_id_fk" FOREIGN KEY ("teacher_id") REFERENCES "public"."teachers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "teacher_search_document_idx" ON "teacher_search" USING gin ("document");--> statement-breakpoint
CREATE INDEX "teacher_search_name_trgm_idx" ON "teacher_search" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "teacher_search_haystack_trgm_idx" ON "teacher_search" USING gin ("haystack" gin_trgm_ops);--> statement-breakpoint
-- Added by hand: backfill documents of existing databases (same statement as server/catalog/searchDocument.ts at this version).
INSERT INTO teacher_search (teacher_id, document, name, haystack, refreshed_at)
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
ON CONFLICT (teacher_id) DO NOTHING;