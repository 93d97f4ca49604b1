//! `Kind`: the nine record kinds and their wire names.

use super::macros::closed_enum;

closed_enum! {
    /// The kind of a record; decides the shape of its `data`.
    pub enum Kind (field = "kind") {
        /// A person followed by the unit.
        Participant = "participant",
        /// An employer's workplace.
        Site = "site",
        /// An internship (*arbetspraktik*) of a participant at a site.
        Placement = "placement",
        /// One day of a placement: present, late or absent.
        Attendance = "attendance",
        /// A coach's check-in with a participant.
        Visit = "visit",
        /// A free-text note about a participant.
        MentorNote = "mentor_note",
        /// A language lesson given on site.
        Lesson = "lesson",
        /// A step of a participant's individual action plan.
        PlanGoal = "plan_goal",
        /// What became of a participant 3 or 6 months after exit (office).
        FollowUp = "follow_up",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_str_and_serde() {
        assert_eq!(Kind::ALL.len(), 9);
        for kind in Kind::ALL {
            assert_eq!(kind.as_str().parse::<Kind>(), Ok(kind));
            assert_eq!(kind.to_string(), kind.as_str());
            let json = serde_json::to_value(kind).expect("serializes");
            assert_eq!(json, serde_json::Value::from(kind.as_str()));
            let back: Kind = serde_json::from_value(json).expect("deserializes");
            assert_eq!(back, kind);
        }
    }

    #[test]
    fn unknown_kind_is_a_field_error_on_kind() {
        let err = "note".parse::<Kind>().expect_err("not a kind");
        assert_eq!(err.field, "kind");
        assert!(err.message.contains("`mentor_note`"), "{}", err.message);
        assert!("Participant".parse::<Kind>().is_err());
        assert!(serde_json::from_str::<Kind>("\"lessons\"").is_err());
        assert!(serde_json::from_str::<Kind>("3").is_err());
    }
}
