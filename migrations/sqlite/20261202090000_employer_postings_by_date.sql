-- An employer's prospect document reads its latest postings by date, a few at a time: index
-- them by (employer, date) so that it never reads all of a large employer's postings. The
-- new indexes also serve every lookup by employer alone.
CREATE INDEX vacancies_employer_posted ON vacancies (employer_id, date_posted);
DROP INDEX vacancies_employer;
CREATE INDEX tasks_employer_created ON tasks (employer_id, created_at);
DROP INDEX tasks_employer;
