/* What each stable finding id means, in one sentence: the rule behind the
 * findings of check, scan and harden, for reporters that describe rules
 * apart from their results (SARIF). Messages say what was found in one
 * file; these say what the id is about. */
#ifndef CANRUN_FINDING_RULES_H
#define CANRUN_FINDING_RULES_H

/* The sentence for ID, or NULL for an id this table does not know. */
const char *finding_rule_text(const char *id);

#endif
