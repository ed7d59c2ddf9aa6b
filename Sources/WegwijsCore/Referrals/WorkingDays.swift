/// Working days in the Netherlands: Monday to Friday, except the national public holidays (New Year, Easter Monday,
/// King's Day, Liberation Day in lustrum years, Ascension Day, Whit Monday, Christmas). Good Friday is not a general
/// day off. Used for the referral timers ("no answer after N working days").
public enum WorkingDays {
    /// Monday = 0 … Sunday = 6.
    public static func weekday(_ date: CalendarDate) -> Int { ((date.dayNumber + 2) % 7 + 7) % 7 }

    public static func isWorkingDay(_ date: CalendarDate) -> Bool {
        weekday(date) < 5 && !holidays(date.year).contains(date)
    }

    /// The date `count` working days after `date` (`date` itself never counts).
    public static func adding(_ count: Int, to date: CalendarDate) -> CalendarDate {
        var day = date, left = count
        while left > 0 {
            day = day.adding(days: 1)
            if isWorkingDay(day) { left -= 1 }
        }
        return day
    }

    /// The latest start date whose `count`-working-day deadline lies before `today`: anything that started on or before
    /// it is overdue today. Lets a database compare a stored start date with one value.
    public static func overdueCutoff(_ count: Int, today: CalendarDate) -> CalendarDate {
        // d is overdue when the `count` working days after it all lie before today. Walking back from yesterday, the
        // count-th working day met is the first day after the latest such d.
        var day = today, seen = 0
        while seen < count {
            day = day.adding(days: -1)
            if isWorkingDay(day) { seen += 1 }
        }
        return day.adding(days: -1)
    }

    public static func holidays(_ year: Int) -> Set<CalendarDate> {
        let easter = easterSunday(year)
        var days: Set<CalendarDate> = [easter.adding(days: 1), easter.adding(days: 39), easter.adding(days: 50)]
        for (month, day) in [(1, 1), (12, 25), (12, 26)] { days.insert(CalendarDate(year: year, month: month, day: day)!) }
        // King's Day is 27 April, or the 26th when the 27th is a Sunday.
        let kingsDay = CalendarDate(year: year, month: 4, day: 27)!
        days.insert(weekday(kingsDay) == 6 ? kingsDay.adding(days: -1) : kingsDay)
        if year % 5 == 0 { days.insert(CalendarDate(year: year, month: 5, day: 5)!) }
        return days
    }

    /// Easter Sunday (Gregorian; the anonymous "Meeus/Jones/Butcher" algorithm).
    public static func easterSunday(_ year: Int) -> CalendarDate {
        let a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4
        let f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1
        return CalendarDate(year: year, month: month, day: day)!
    }
}
