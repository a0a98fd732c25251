"""What a form notices that the submission model cannot check (a correction typed on a claim
left supported): the form lists them under this payload key, and `submission_form` takes them
out as errors, so they are shown and block submitting but are never stored."""

PROBLEMS = "_problems"
