-- The schema of a new SQLite database at the head revision, as the migrations leave it. Written by
-- `python -m store sqlite-head`; tests/store/test_sqlite_head.py fails when it is out of date.

CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

CREATE TABLE llm_cache (
	"key" VARCHAR(64) NOT NULL, 
	model VARCHAR(100) NOT NULL, 
	prompt_version VARCHAR(40) NOT NULL, 
	response JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY ("key")
);

CREATE TABLE users (
	id INTEGER NOT NULL, 
	external_id VARCHAR(255) NOT NULL, 
	email VARCHAR(320), 
	name VARCHAR(200) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_users_external_id ON users (external_id);

CREATE TABLE attempts (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	exercise_id VARCHAR(64) NOT NULL, 
	exercise_version INTEGER NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	sector VARCHAR(32) NOT NULL, 
	mode VARCHAR(20) NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	draft JSON, 
	idempotency_key VARCHAR(64), 
	started_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	submitted_at DATETIME, grade_id INTEGER, score FLOAT, grade_source VARCHAR(20), grade_flags VARCHAR(400), judge_gap FLOAT, cohort_id INTEGER, variant_seed INTEGER DEFAULT '0' NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES users (id), 
	UNIQUE (idempotency_key)
);

CREATE INDEX ix_attempts_exercise_status ON attempts (exercise_id, status);

CREATE INDEX ix_attempts_user_exercise ON attempts (user_id, exercise_id);

CREATE INDEX ix_attempts_user_submitted ON attempts (user_id, submitted_at);

CREATE TABLE cohorts (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	join_code VARCHAR(32) NOT NULL, 
	created_by INTEGER, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(created_by) REFERENCES users (id)
);

CREATE UNIQUE INDEX ix_cohorts_join_code ON cohorts (join_code);

CREATE TABLE grades (
	id INTEGER NOT NULL, 
	attempt_id INTEGER NOT NULL, 
	total FLOAT NOT NULL, 
	flags JSON NOT NULL, 
	grader_version VARCHAR(40) NOT NULL, 
	source VARCHAR(20) NOT NULL, 
	author_id INTEGER, 
	reason VARCHAR(2000), 
	details JSON, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(attempt_id) REFERENCES attempts (id), 
	FOREIGN KEY(author_id) REFERENCES users (id)
);

CREATE INDEX ix_grades_attempt_created ON grades (attempt_id, created_at);

CREATE TABLE memberships (
	id INTEGER NOT NULL, 
	cohort_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	joined_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(cohort_id) REFERENCES cohorts (id), 
	FOREIGN KEY(user_id) REFERENCES users (id), 
	CONSTRAINT uq_membership UNIQUE (cohort_id, user_id)
);

CREATE INDEX ix_memberships_cohort_id ON memberships (cohort_id);

CREATE INDEX ix_memberships_user_id ON memberships (user_id);

CREATE TABLE submissions (
	id INTEGER NOT NULL, 
	attempt_id INTEGER NOT NULL, 
	payload JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(attempt_id) REFERENCES attempts (id), 
	UNIQUE (attempt_id)
);

CREATE TABLE criterion_grades (
	id INTEGER NOT NULL, 
	grade_id INTEGER NOT NULL, 
	criterion_id VARCHAR(64) NOT NULL, 
	title VARCHAR(200) NOT NULL, 
	weight FLOAT NOT NULL, 
	score FLOAT NOT NULL, 
	evidence VARCHAR(4000) NOT NULL, 
	feedback VARCHAR(4000) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(grade_id) REFERENCES grades (id)
);

CREATE INDEX ix_criterion_grades_criterion ON criterion_grades (criterion_id);

CREATE INDEX ix_criterion_grades_grade_id ON criterion_grades (grade_id);

CREATE TRIGGER grades_effective_grade AFTER INSERT ON grades
BEGIN
    UPDATE attempts SET
        grade_id = NEW.id,
        score = NEW.total,
        grade_source = NEW.source,
        grade_flags = (SELECT group_concat(value, ',') FROM json_each(NEW.flags)),
        judge_gap = abs(NEW.total - json_extract(NEW.details, '$.deterministic_total'))
    
    WHERE id = NEW.attempt_id
      AND (grade_id IS NULL OR grade_id < NEW.id)
      AND (NEW.source = 'override' OR grade_source IS NULL OR grade_source <> 'override')
;
END;

CREATE INDEX ix_criterion_grades_grade_scores ON criterion_grades (grade_id, criterion_id, score);

CREATE TABLE assessments (
	id INTEGER NOT NULL, 
	title VARCHAR(200) NOT NULL, 
	cohort_id INTEGER, 
	sector VARCHAR(32), 
	level INTEGER NOT NULL, 
	exercise_ids JSON NOT NULL, 
	time_limit_s INTEGER NOT NULL, 
	opens_at DATETIME, 
	closes_at DATETIME, 
	created_by INTEGER, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(cohort_id) REFERENCES cohorts (id), 
	FOREIGN KEY(created_by) REFERENCES users (id)
);

CREATE INDEX ix_assessments_cohort_id ON assessments (cohort_id);

CREATE TABLE assessment_extra_sittings (
	id INTEGER NOT NULL, 
	assessment_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	granted_by INTEGER, 
	granted_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(assessment_id) REFERENCES assessments (id), 
	FOREIGN KEY(granted_by) REFERENCES users (id), 
	FOREIGN KEY(user_id) REFERENCES users (id)
);

CREATE INDEX ix_assessment_extra_sittings_assessment_id ON assessment_extra_sittings (assessment_id);

CREATE TABLE assessment_sittings (
	id INTEGER NOT NULL, 
	assessment_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	number INTEGER NOT NULL, 
	started_at DATETIME NOT NULL, 
	deadline_at DATETIME NOT NULL, 
	finished_at DATETIME, 
	status VARCHAR(20) NOT NULL, exercise_ids JSON, draw_seed BIGINT, graded_at DATETIME, variant_seeds JSON, 
	PRIMARY KEY (id), 
	FOREIGN KEY(assessment_id) REFERENCES assessments (id), 
	FOREIGN KEY(user_id) REFERENCES users (id), 
	CONSTRAINT uq_sitting UNIQUE (assessment_id, user_id, number)
);

CREATE INDEX ix_assessment_sittings_assessment_id ON assessment_sittings (assessment_id);

CREATE INDEX ix_assessment_sittings_user_id ON assessment_sittings (user_id);

CREATE TABLE assessment_answers (
	id INTEGER NOT NULL, 
	sitting_id INTEGER NOT NULL, 
	exercise_id VARCHAR(64) NOT NULL, 
	draft JSON, 
	attempt_id INTEGER, 
	updated_at DATETIME NOT NULL, first_saved_at DATETIME, active_s FLOAT DEFAULT '0' NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(attempt_id) REFERENCES attempts (id), 
	FOREIGN KEY(sitting_id) REFERENCES assessment_sittings (id), 
	CONSTRAINT uq_sitting_answer UNIQUE (sitting_id, exercise_id)
);

CREATE INDEX ix_assessment_answers_sitting_id ON assessment_answers (sitting_id);

CREATE TABLE jobs (
	id INTEGER NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	cohort_id INTEGER, 
	exercise_id VARCHAR(64), 
	created_by INTEGER, 
	created_at DATETIME NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	total INTEGER NOT NULL, 
	done INTEGER NOT NULL, 
	failed INTEGER NOT NULL, 
	message VARCHAR(500) NOT NULL, 
	heartbeat_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(cohort_id) REFERENCES cohorts (id), 
	FOREIGN KEY(created_by) REFERENCES users (id)
);

CREATE INDEX ix_jobs_cohort_id ON jobs (cohort_id);

CREATE TABLE job_items (
	id INTEGER NOT NULL, 
	job_id INTEGER NOT NULL, 
	attempt_id INTEGER NOT NULL, 
	grade_id INTEGER, 
	error VARCHAR(300), 
	PRIMARY KEY (id), 
	FOREIGN KEY(attempt_id) REFERENCES attempts (id), 
	FOREIGN KEY(grade_id) REFERENCES grades (id), 
	FOREIGN KEY(job_id) REFERENCES jobs (id), 
	CONSTRAINT uq_job_item UNIQUE (job_id, attempt_id)
);

CREATE INDEX ix_job_items_job_id ON job_items (job_id);

CREATE INDEX ix_attempts_cohort_id ON attempts (cohort_id);

CREATE INDEX ix_attempts_user_scores ON attempts (user_id, kind, exercise_id, sector, score, submitted_at, grade_id, cohort_id);

CREATE TABLE "cohort_assignments" (
	id INTEGER NOT NULL, 
	cohort_id INTEGER NOT NULL, 
	exercise_id VARCHAR(64) NOT NULL, 
	assigned_by INTEGER, 
	assigned_at DATETIME NOT NULL, 
	due DATETIME, 
	max_attempts INTEGER, 
	hide_reference BOOLEAN DEFAULT 0 NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_assignment UNIQUE (cohort_id, exercise_id), 
	FOREIGN KEY(assigned_by) REFERENCES users (id), 
	FOREIGN KEY(cohort_id) REFERENCES cohorts (id)
);

CREATE INDEX ix_cohort_assignments_cohort_id ON cohort_assignments (cohort_id);

CREATE INDEX ix_attempts_exercise_variant ON attempts (exercise_id, variant_seed);

INSERT INTO alembic_version (version_num) VALUES ('0008');
