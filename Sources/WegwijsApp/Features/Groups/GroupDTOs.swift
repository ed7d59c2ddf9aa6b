import Foundation
import Vapor
import WegwijsCore

struct GroupSeriesInput: Content {
    var offerId: UUID?
    var language: String?
    var interpreter: Bool?
    var audience: String?
    var minSize: Int?
    var maxSize: Int?
    var place: String?
    var location: String?
    var time: String?
    var childcare: Bool?
    var startsOn: String?
    var endsOn: String?
    var trainerId: UUID?
    var keyPersonId: UUID?
    /// Updates only: `planned`, `running`, `finished`, `cancelled`.
    var status: String?
    var version: Int?

    var draft: GroupSeriesDraft {
        GroupSeriesDraft(language: language ?? "", interpreter: interpreter ?? false, audience: audience ?? "",
                         minSize: minSize ?? 8, maxSize: maxSize ?? 15, place: place ?? "", location: location,
                         time: time ?? "", childcare: childcare ?? false, startsOn: startsOn ?? "", endsOn: endsOn ?? "")
    }
}

struct GroupSessionInput: Content {
    var date: String?
    var startsAt: String?
    var endsAt: String?
    var topic: String?
    var place: String?
    /// Partner staff joining this session (they see it on their worklist).
    var guestIds: [UUID]?
    var version: Int?

    var draft: GroupSessionDraft {
        GroupSessionDraft(date: date ?? "", startsAt: startsAt ?? "", endsAt: endsAt ?? "", topic: topic ?? "", place: place)
    }
}

struct GroupParticipantInput: Content {
    var memberId: UUID?
    /// `waiting-list` (with `waitingEntryId`) or `invitation`.
    var source: String?
    var waitingEntryId: UUID?
}

struct GroupParticipantUpdate: Content {
    var invitation: String?
    var status: String?
    var dropOutReason: String?
    var version: Int?
}

struct GroupAttendanceInput: Content {
    struct Record: Content {
        var participantId: UUID?
        var status: String?
        var childrenBrought: Int?
    }
    var records: [Record]?
    var childcareHeadcount: Int?
}

struct GroupSeriesDTO: Content {
    let id: UUID
    let offerId: UUID
    let language: String
    let interpreter: Bool
    let audience: String
    let minSize: Int
    let maxSize: Int
    let place: String
    let location: String?
    let time: String
    let childcare: Bool
    let startsOn: String
    let endsOn: String
    let status: String
    let trainerId: UUID
    let keyPersonId: UUID
    /// Parents still in the series.
    let participantCount: Int
    let sessionCount: Int
    let version: Int

    init(_ series: GroupSeries, participants: Int, sessions: Int) {
        id = series.id!
        offerId = series.$offer.id
        language = series.language
        interpreter = series.interpreter
        audience = series.audience.rawValue
        minSize = series.minSize
        maxSize = series.maxSize
        place = series.place
        location = series.location
        time = series.time.rawValue
        childcare = series.childcare
        startsOn = series.startsOn
        endsOn = series.endsOn
        status = series.status.rawValue
        trainerId = series.$trainer.id
        keyPersonId = series.$keyPerson.id
        participantCount = participants
        sessionCount = sessions
        version = series.version
    }
}

struct GroupAttendanceDTO: Content {
    let participantId: UUID
    let status: String
    let childrenBrought: Int
}

struct GroupSessionDTO: Content {
    let id: UUID
    /// 1 for the first session by date and time.
    let number: Int
    let date: String
    let startsAt: String
    let endsAt: String
    let topic: String
    let place: String?
    let guestIds: [UUID]
    let childcareHeadcount: Int?
    let attendance: [GroupAttendanceDTO]
    let version: Int
}

struct GroupParticipantDTO: Content {
    let id: UUID
    let memberId: UUID
    let familyId: UUID
    let name: String
    let source: String
    let invitation: String
    let status: String
    let dropOutReason: String?
    let version: Int
}

struct GroupSeriesDetailDTO: Content {
    let series: GroupSeriesDTO
    let sessions: [GroupSessionDTO]
    let participants: [GroupParticipantDTO]
}
