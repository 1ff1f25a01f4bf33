import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";

export type Database = DrizzleD1Database & { $client: D1Database };

/** Counts D1 round trips: one per executed statement, one per `batch()`. */
interface RoundTrips {
  count: number;
}

/**
 * A drizzle database over D1. With `trips`, every call that reaches D1 is counted,
 * which is how local mode reports round trips per request.
 */
export function openDatabase(d1: D1Database, trips?: RoundTrips): Database {
  // No relational schema: nothing uses db.query, and building its config costs every request.
  return drizzle(trips ? countingD1(d1, trips) : d1);
}

const EXECUTING = new Set(["all", "run", "first", "raw"]);
const UNWRAPPED = Symbol("unwrapped");

function countingD1(d1: D1Database, trips: RoundTrips): D1Database {
  const wrapStatement = (stmt: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, prop) {
        if (prop === UNWRAPPED) return target;
        const value = Reflect.get(target, prop, target);
        if (typeof value !== "function") return value;
        if (prop === "bind") return (...args: unknown[]) => wrapStatement(value.apply(target, args));
        if (EXECUTING.has(String(prop))) {
          return (...args: unknown[]) => {
            trips.count++;
            return value.apply(target, args);
          };
        }
        return value.bind(target);
      },
    });
  return new Proxy(d1, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "prepare") return (sql: string) => wrapStatement(value.call(target, sql));
      if (prop === "batch" || prop === "exec") {
        return (...args: unknown[]) => {
          trips.count++;
          const stmts = args[0];
          // batch() needs the real statements, not our proxies.
          if (Array.isArray(stmts)) args[0] = stmts.map(unwrap);
          return value.apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
}

function unwrap(stmt: D1PreparedStatement): D1PreparedStatement {
  return (stmt as unknown as Record<symbol, D1PreparedStatement>)[UNWRAPPED] ?? stmt;
}

/**
 * Makes a raw `db.run(sql)` / `db.all(sql)` usable inside `db.batch()`. drizzle 0.45
 * batches raw queries that have parameters through a prepared statement it never
 * creates; this supplies it.
 *
 * @example
 * await db.batch([db.insert(t).values(v), batchable(db, db.run(sql`UPDATE …`))]);
 */
export function batchable<T extends { getQuery(): { sql: string } }>(db: Database, query: T): T {
  return Object.assign(query, { stmt: db.$client.prepare(query.getQuery().sql) });
}

/** D1 reports SQLite failures as errors whose message (or cause) carries SQLite's text. */
function d1ErrorText(err: unknown): string {
  return err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? "")}` : String(err);
}

/** A UNIQUE constraint failure; D1's message names the column (`table.column`). */
export const isUniqueViolation = (err: unknown, column: string) => {
  const text = d1ErrorText(err);
  return text.includes("UNIQUE constraint failed") && text.includes(column);
};

export const isForeignKeyViolation = (err: unknown) => d1ErrorText(err).includes("FOREIGN KEY constraint failed");

/** A value over D1's size limit (2 MB per value). */
export const isValueTooBig = (err: unknown) => /SQLITE_TOOBIG|string or blob too big/.test(d1ErrorText(err));
