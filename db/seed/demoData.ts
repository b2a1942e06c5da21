import { en, Faker, zh_CN } from "@faker-js/faker";
import { seedId } from "../../server/ids/snowflake";
import {
  addUtcDays,
  decodeDay,
  EMPTY_DAY,
  encodeDay,
  SlotState,
} from "../../server/inventory/slotBitmap";
import {
  localToday,
  slotsForWeeklyPattern,
  type WeeklyWindow,
} from "../../server/inventory/weeklyAvailability";

/**
 * The demo marketplace, generated from a fixed seed: the same teachers, courses and reviews
 * every time. Only dates move with the day it runs (reviews in the past, availability for the
 * next eight weeks). Pure: returns rows, writes nothing.
 */
export const DEMO_PASSWORD = "halfhour-demo";
export const DEMO_ACCOUNTS = {
  student: "student@halfhour.dev",
  teacher: "teacher@halfhour.dev",
  admin: "admin@halfhour.dev",
} as const;

export const SUBJECTS = [
  { slug: "english", name: "English", nameZh: "英语" },
  { slug: "mandarin", name: "Mandarin Chinese", nameZh: "汉语" },
  { slug: "mathematics", name: "Mathematics", nameZh: "数学" },
  { slug: "physics", name: "Physics", nameZh: "物理" },
  { slug: "chemistry", name: "Chemistry", nameZh: "化学" },
  { slug: "programming", name: "Programming", nameZh: "编程" },
  { slug: "piano", name: "Piano", nameZh: "钢琴" },
  { slug: "spanish", name: "Spanish", nameZh: "西班牙语" },
  { slug: "japanese", name: "Japanese", nameZh: "日语" },
  { slug: "art", name: "Drawing & Painting", nameZh: "绘画" },
] as const;

const ZONES = [
  "America/New_York",
  "America/Los_Angeles",
  "America/Sao_Paulo",
  "Europe/London",
  "Europe/Berlin",
  "Europe/Madrid",
  "Asia/Shanghai",
  "Asia/Tokyo",
  "Asia/Kolkata",
  "Australia/Sydney",
] as const;

const LANGUAGES_BY_SUBJECT: Record<string, string> = {
  mandarin: "Mandarin",
  spanish: "Spanish",
  japanese: "Japanese",
};

const COURSE_TITLES: Record<string, string[]> = {
  english: [
    "Conversational English",
    "IELTS Speaking Coach",
    "Business English",
    "English for Kids",
  ],
  mandarin: ["Mandarin for Beginners", "HSK 4 Preparation", "Business Mandarin", "少儿中文启蒙"],
  mathematics: ["Algebra Foundations", "Calculus I", "Competition Maths", "高中数学提升"],
  physics: ["Mechanics Made Clear", "AP Physics C", "Electromagnetism", "初中物理"],
  chemistry: ["Organic Chemistry", "IB Chemistry HL", "General Chemistry", "高考化学冲刺"],
  programming: [
    "Python from Zero",
    "Web Development with TypeScript",
    "Algorithms for Interviews",
    "Scratch for Kids",
  ],
  piano: [
    "Piano for Adult Beginners",
    "Classical Repertoire",
    "Jazz Piano Voicings",
    "ABRSM Grade Exams",
  ],
  spanish: [
    "Spanish Conversation",
    "DELE B2 Preparation",
    "Spanish for Travellers",
    "Spanish Grammar Bootcamp",
  ],
  japanese: [
    "Japanese from Hiragana",
    "JLPT N3 Preparation",
    "Everyday Japanese",
    "Business Japanese",
  ],
  art: ["Drawing Fundamentals", "Watercolour Landscapes", "Digital Illustration", "国画入门"],
};

const REVIEW_LINES = [
  "Patient, well prepared and always on time.",
  "Lessons are structured but never boring. I finally understand the basics.",
  "Great feedback after every lesson, with homework that actually helps.",
  "My daughter looks forward to every class.",
  "Clear explanations and a friendly atmosphere.",
  "Helped me pass my exam with a grade I did not expect.",
  "老师很耐心，讲解清楚，推荐！",
  "上课准时，内容丰富，孩子进步很大。",
  "Good teacher, though the pace was a bit fast for me at first.",
  "Flexible with scheduling and very encouraging.",
];

const BIO_LINES = [
  "My lessons are built around conversation and real examples, not memorising lists.",
  "I start with a short assessment, then we agree on a plan and review it every month.",
  "Every lesson ends with a short summary and a few exercises for the week.",
  "I have helped more than a hundred students reach their exam goals.",
  "I believe a relaxed student learns twice as fast, so my lessons are calm and friendly.",
];
const BIO_CLOSERS = [
  "Book a first lesson and tell me what you want to achieve.",
  "I look forward to meeting you!",
  "Beginners are very welcome.",
  "Let's find the pace that suits you.",
];
const BIO_ZH = [
  "你好！我教学经验丰富，课程注重实用和互动，欢迎预约试听。",
  "我擅长根据学生的水平制定个性化的学习计划，每节课后都有总结和练习。",
  "上课轻松愉快，帮助学生建立信心，稳步提高成绩。",
];
const COURSE_BLURBS = [
  "A structured course with a clear goal for every lesson and homework you can finish in twenty minutes.",
  "Flexible lessons that follow your pace: we revisit what is hard and skip what you already know.",
  "Exam-focused preparation with past papers, timed practice and detailed feedback.",
  "Friendly, conversation-led sessions to build confidence from the very first lesson.",
  "From fundamentals to fluency: each unit ends with a short project to show what you learned.",
];

const DEMO_TEACHER_WEEK: WeeklyWindow[] = [
  { weekday: 2, start: "09:00", end: "12:00" },
  { weekday: 4, start: "17:00", end: "20:00" },
  { weekday: 6, start: "10:00", end: "13:30" },
];

const PACKAGE_SIZES = [1, 10, 20, 60, 100];
const WEEKS_PUBLISHED = 8;

export interface DemoUser {
  key: string;
  name: string;
  email: string;
  role: "student" | "teacher" | "admin";
  withPassword: boolean;
}

export interface DemoData {
  subjects: typeof SUBJECTS;
  users: DemoUser[];
  teachers: {
    id: string;
    userKey: string;
    displayName: string;
    headline: string;
    bio: string;
    timeZone: string;
    languages: string[];
    status: "approved" | "applied";
    subjects: string[];
  }[];
  courses: { id: string; teacherId: string; subjectSlug: string; currentVersion: number }[];
  courseVersions: {
    id: string;
    courseId: string;
    version: number;
    title: string;
    description: string;
    level: "all" | "beginner" | "intermediate" | "advanced";
    pricePerHour: number;
    packageHours: number[];
  }[];
  reviews: {
    id: string;
    teacherId: string;
    studentKey: string;
    courseId: string | null;
    rating: number;
    body: string;
    createdAt: Date;
  }[];
  teacherDays: { teacherId: string; day: string; slots: string }[];
}

export function buildDemoData(now: Date = new Date(), teacherCount = 64): DemoData {
  const f = new Faker({ locale: [en] });
  const zh = new Faker({ locale: [zh_CN, en] });
  f.seed(2026);
  zh.seed(1122);

  const users: DemoUser[] = [
    {
      key: "admin",
      name: "Ada Admin",
      email: DEMO_ACCOUNTS.admin,
      role: "admin",
      withPassword: true,
    },
    {
      key: "student",
      name: "Sam Student",
      email: DEMO_ACCOUNTS.student,
      role: "student",
      withPassword: true,
    },
  ];
  const studentKeys: string[] = [];
  for (let i = 0; i < 40; i++) {
    const key = `student-${i}`;
    studentKeys.push(key);
    users.push({
      key,
      name: `${f.person.firstName()} ${f.person.lastName()}`,
      email: `student${i}@demo.halfhour.dev`,
      role: "student",
      withPassword: false,
    });
  }

  const teachers: DemoData["teachers"] = [];
  const courses: DemoData["courses"] = [];
  const courseVersions: DemoData["courseVersions"] = [];
  const reviews: DemoData["reviews"] = [];
  const teacherDays: DemoData["teacherDays"] = [];
  let courseSeq = 0;
  let versionSeq = 0;
  let reviewSeq = 0;

  // Two extra applicants who are not approved yet: they must never be listed.
  for (let i = 0; i < teacherCount + 2; i++) {
    const chinese = i % 4 === 1;
    const isDemoTeacher = i === 0;
    const displayName = isDemoTeacher
      ? "Tessa Teacher"
      : chinese
        ? `${zh.person.lastName()}${zh.person.firstName()}`
        : `${f.person.firstName()} ${f.person.lastName()}`;
    const primary = SUBJECTS[i % SUBJECTS.length]!;
    const secondary = f.helpers.maybe(() => f.helpers.arrayElement(SUBJECTS), {
      probability: 0.35,
    });
    const subjects = [...new Set([primary.slug, ...(secondary ? [secondary.slug] : [])])];
    const timeZone = chinese ? "Asia/Shanghai" : f.helpers.arrayElement(ZONES);
    const languages = [
      ...new Set([
        "English",
        ...(chinese ? ["Mandarin"] : []),
        ...subjects.map((s) => LANGUAGES_BY_SUBJECT[s]).filter((l): l is string => !!l),
      ]),
    ];
    const years = f.number.int({ min: 2, max: 25 });
    const teacherId = seedId(1_000 + i);
    const userKey = isDemoTeacher ? "teacher" : `teacher-${i}`;
    users.push({
      key: userKey,
      name: displayName,
      email: isDemoTeacher ? DEMO_ACCOUNTS.teacher : `teacher${i}@demo.halfhour.dev`,
      role: "teacher",
      withPassword: isDemoTeacher,
    });
    const bioEn = [
      f.helpers.arrayElement([
        `I have taught ${subjectInSentence(primary.name)} for ${years} years`,
        `I've been teaching ${subjectInSentence(primary.name)} for ${years} years`,
        `${primary.name} has been my job and my passion for ${years} years`,
      ]) +
        f.helpers.arrayElement([
          ", online and in classrooms.",
          ", to students of every age.",
          ", mostly to adults preparing for exams.",
          ", in schools in three countries.",
        ]),
      f.helpers.arrayElement(BIO_LINES),
      f.helpers.arrayElement(BIO_CLOSERS),
    ].join(" ");
    teachers.push({
      id: teacherId,
      userKey,
      displayName,
      headline: chinese
        ? `${primary.nameZh}老师 · ${years}年教学经验`
        : `${primary.name} teacher · ${years} years of experience`,
      bio: chinese ? `${zh.helpers.arrayElement(BIO_ZH)}\n\n${bioEn}` : bioEn,
      timeZone,
      languages,
      status: i < teacherCount ? "approved" : "applied",
      subjects,
    });

    const courseCount = f.number.int({ min: 1, max: 3 });
    // Distinct titles per subject: one teacher never sells two courses of the same name.
    const titles = new Map(subjects.map((s) => [s, f.helpers.shuffle([...COURSE_TITLES[s]!])]));
    for (let c = 0; c < courseCount; c++) {
      const subject = subjects[c % subjects.length]!;
      const courseId = seedId(100_000 + courseSeq++);
      const title = titles.get(subject)!.pop()!;
      const pricePerHour = f.number.int({ min: 15, max: 90 }) * 100;
      const packageHours = PACKAGE_SIZES.filter((h) => h === 1 || f.datatype.boolean(0.7));
      // Every fifth course was edited once: version 1 stays for the orders that bought it.
      const versions = courseSeq % 5 === 0 ? 2 : 1;
      courses.push({ id: courseId, teacherId, subjectSlug: subject, currentVersion: versions });
      for (let v = 1; v <= versions; v++) {
        courseVersions.push({
          id: seedId(200_000 + versionSeq++),
          courseId,
          version: v,
          title,
          description: f.helpers.arrayElement(COURSE_BLURBS),
          level: f.helpers.arrayElement(["all", "beginner", "intermediate", "advanced"] as const),
          pricePerHour:
            v === versions
              ? pricePerHour
              : pricePerHour - 500 > 0
                ? pricePerHour - 500
                : pricePerHour,
          packageHours,
        });
      }
    }

    if (i < teacherCount) {
      const reviewCount = isDemoTeacher ? 12 : f.number.int({ min: 0, max: 40 });
      const reviewers = f.helpers.arrayElements(
        studentKeys,
        Math.min(reviewCount, studentKeys.length),
      );
      reviewers.forEach((studentKey, r) => {
        reviews.push({
          id: seedId(300_000 + reviewSeq++),
          teacherId,
          studentKey,
          courseId: courses[courses.length - 1 - (r % courseCount)]!.id,
          rating: f.helpers.weightedArrayElement([
            { weight: 55, value: 5 },
            { weight: 28, value: 4 },
            { weight: 10, value: 3 },
            { weight: 4, value: 2 },
            { weight: 3, value: 1 },
          ]),
          body: f.helpers.arrayElement(REVIEW_LINES),
          createdAt: new Date(now.getTime() - f.number.int({ min: 1, max: 365 * 24 }) * 3_600_000),
        });
      });

      // Most approved teachers publish a weekly pattern for the next eight weeks.
      if (isDemoTeacher || f.datatype.boolean(0.9)) {
        // The demo teacher keeps Mondays free, so a demo (and the e2e test) can publish one.
        const windows = isDemoTeacher ? DEMO_TEACHER_WEEK : weeklyPattern(f);
        const from = localToday(timeZone, now);
        const to = addUtcDays(from, WEEKS_PUBLISHED * 7 - 1);
        for (const [day, indices] of slotsForWeeklyPattern(windows, timeZone, from, to)) {
          const states = decodeDay(EMPTY_DAY);
          for (const index of indices) states[index] = SlotState.Published;
          teacherDays.push({ teacherId, day, slots: encodeDay(states) });
        }
      }
    }
  }

  return { subjects: SUBJECTS, users, teachers, courses, courseVersions, reviews, teacherDays };
}

function weeklyPattern(f: Faker): WeeklyWindow[] {
  const days = f.helpers.arrayElements([1, 2, 3, 4, 5, 6, 7] as const, { min: 3, max: 6 });
  return days.map((weekday) => {
    const startHour = f.helpers.arrayElement([8, 9, 10, 14, 16, 17, 18, 19]);
    const length = f.helpers.arrayElement([2, 3, 4]);
    const half = f.datatype.boolean(0.3) ? 30 : 0;
    const pad = (n: number) => String(n).padStart(2, "0");
    return {
      weekday,
      start: `${pad(startHour)}:${pad(half)}`,
      end: `${pad(Math.min(startHour + length, 24))}:${startHour + length >= 24 ? "00" : pad(half)}`,
    };
  });
}

/** Languages keep their capital ("English"); other subjects read lower-case ("physics"). */
function subjectInSentence(name: string): string {
  return /^(English|Mandarin|Spanish|Japanese)/.test(name) ? name : name.toLowerCase();
}
