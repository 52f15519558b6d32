-- Privacy by design, 2/3: erasure of a client (GDPR art. 17, or the end of retention).
--
-- An erased client's row stays, pseudonymous: its display name becomes `poistettu-<id>`, its
-- municipality, treatment-team contact and preferences are cleared, and it is never shown
-- again. Its id, coach and intake date stay, and so do its events, so that the funnel and
-- fidelity figures count it as before.
ALTER TABLE clients ADD COLUMN erased_at TEXT;

-- Events stay append-only. The one change ever let through is the erasure's: clearing the
-- free-text note of an event of an erased client, with every other column as it was. (A column
-- added to client_events later must be added to this list.)
DROP TRIGGER client_events_append_only_update;
CREATE TRIGGER client_events_append_only_update BEFORE UPDATE ON client_events
WHEN NOT (
    NEW.note IS NULL
    AND NEW.id IS OLD.id
    AND NEW.client_id IS OLD.client_id
    AND NEW.recorded_by IS OLD.recorded_by
    AND NEW.type IS OLD.type
    AND NEW.at IS OLD.at
    AND NEW.vacancy_id IS OLD.vacancy_id
    AND NEW.task_id IS OLD.task_id
    AND NEW.employer_id IS OLD.employer_id
    AND NEW.placement_type IS OLD.placement_type
    AND NEW.hours_per_week IS OLD.hours_per_week
    AND NEW.face_to_face IS OLD.face_to_face
    AND NEW.supersedes IS OLD.supersedes
    AND NEW.out_of_work_at_entry IS OLD.out_of_work_at_entry
    AND NEW.client_choice IS OLD.client_choice
    AND NEW.created_at IS OLD.created_at
    AND EXISTS (SELECT 1 FROM clients WHERE id = OLD.client_id AND erased_at IS NOT NULL)
)
BEGIN
    SELECT RAISE(ABORT, 'client_events is append-only');
END;
