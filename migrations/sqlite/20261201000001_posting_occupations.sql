-- Occupations of each posting: the given code, or those inferred from its title and text, as
-- a JSON array of {code, label, confidence}, best first.
ALTER TABLE vacancies ADD COLUMN occupations TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tasks ADD COLUMN occupations TEXT NOT NULL DEFAULT '[]';
