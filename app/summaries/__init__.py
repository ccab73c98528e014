"""Lead departments' quarterly and annual summaries for the city food-safety office (工作措施).

deadlines: when each summary is due and where it stands (not started … submitted late);
service: saving, submitting and reopening, each step audited, and who may do it;
document: the written summary with its figures as a Word (.docx) file.
"""
