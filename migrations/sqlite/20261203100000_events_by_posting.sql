-- The funnel figures read an event's employer and occupation through its vacancy or task: when
-- a posting is edited, the kept figures re-read only the events that name it.
CREATE INDEX client_events_vacancy ON client_events (vacancy_id) WHERE vacancy_id IS NOT NULL;
CREATE INDEX client_events_task ON client_events (task_id) WHERE task_id IS NOT NULL;
