"""Self-assessments: access, answers, evidence, submission, results."""
