/**
 * UTC calendar fields of a Unix time in seconds, as Go's time.Unix(int64(v), 0).UTC() gives them
 * (proleptic Gregorian calendar, the seconds truncated towards zero).
 */

export interface CivilTime {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  /** 1–366 */
  dayOfYear: number;
  /** 0 = Sunday */
  dayOfWeek: number;
  hour: number;
  minute: number;
}

/** Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Go converts NaN, ±Inf and values beyond the int64 range to the smallest int64 (on amd64), which
 * time.Unix turns into this instant.
 */
const INT64_MIN_TIME: CivilTime = {
  year: 292277026596,
  month: 12,
  day: 4,
  dayOfYear: 339,
  dayOfWeek: 0,
  hour: 15,
  minute: 30,
};

export function civilTime(unixSeconds: number): CivilTime {
  if (!Number.isFinite(unixSeconds) || Math.abs(unixSeconds) >= 2 ** 63) {
    return INT64_MIN_TIME;
  }
  const seconds = Math.trunc(unixSeconds);
  const days = Math.floor(seconds / 86400);
  const secondOfDay = seconds - days * 86400;
  // civil_from_days, with March as the first month of the computational year.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doyFromMarch = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doyFromMarch + 2) / 153);
  const day = doyFromMarch - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {
    year,
    month,
    day,
    dayOfYear: days - daysFromCivil(year, 1, 1) + 1,
    dayOfWeek: (((days + 4) % 7) + 7) % 7,
    hour: Math.floor(secondOfDay / 3600),
    minute: Math.floor((secondOfDay % 3600) / 60),
  };
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    return isLeapYear(year) ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
