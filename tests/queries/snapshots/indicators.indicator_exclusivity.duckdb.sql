SELECT exclusivity.kind, exclusivity.value, exclusivity.inside_accounts, exclusivity.outside_accounts, exclusivity.exchanges, exclusivity.first_seen, exclusivity.last_seen, exclusivity.hosting_share 
FROM (SELECT %(param_1)s AS kind, per_account_asn.value AS value, sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_2)s ELSE %(param_3)s END) AS inside_accounts, sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_4)s ELSE %(param_5)s END) AS outside_accounts, sum(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_asn.calls ELSE %(param_6)s END) AS exchanges, min(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_asn.first_seen END) AS first_seen, max(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_asn.last_seen END) AS last_seen, CAST(sum(per_account_asn.hosted) AS FLOAT) / nullif(CAST(sum(per_account_asn.calls) AS FLOAT), %(nullif_1)s) AS hosting_share 
FROM (SELECT CAST(requests.asn AS VARCHAR) AS value, requests.account_id AS account_id, count(*) AS calls, sum(CASE WHEN (requests.ip_class IN (__[POSTCOMPILE_ip_class_1])) THEN %(param_7)s ELSE %(param_8)s END) AS hosted, min(requests.ts) AS first_seen, max(requests.ts) AS last_seen 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s AND CAST(requests.asn AS VARCHAR) IS NOT NULL AND CAST(requests.asn AS VARCHAR) IN (SELECT CAST(requests.asn AS VARCHAR) AS asn 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s AND CAST(requests.asn AS VARCHAR) IS NOT NULL AND requests.account_id IN (SELECT members.member_id 
FROM (SELECT account_scores.account_id AS member_id, account_scores.calls AS member_calls 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) AS members)) GROUP BY CAST(requests.asn AS VARCHAR), requests.account_id) AS per_account_asn LEFT OUTER JOIN (SELECT account_scores.account_id AS member_id, account_scores.calls AS member_calls 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) AS members ON members.member_id = per_account_asn.account_id GROUP BY per_account_asn.value 
HAVING sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_2)s ELSE %(param_3)s END) >= %(sum_1)s UNION ALL SELECT %(param_9)s AS kind, per_account_prefix.value AS value, sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_10)s ELSE %(param_11)s END) AS inside_accounts, sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_12)s ELSE %(param_13)s END) AS outside_accounts, sum(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_prefix.calls ELSE %(param_14)s END) AS exchanges, min(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_prefix.first_seen END) AS first_seen, max(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_prefix.last_seen END) AS last_seen, CAST(sum(per_account_prefix.hosted) AS FLOAT) / nullif(CAST(sum(per_account_prefix.calls) AS FLOAT), %(nullif_2)s) AS hosting_share 
FROM (SELECT requests.ip_prefix AS value, requests.account_id AS account_id, count(*) AS calls, sum(CASE WHEN (requests.ip_class IN (__[POSTCOMPILE_ip_class_2])) THEN %(param_15)s ELSE %(param_16)s END) AS hosted, min(requests.ts) AS first_seen, max(requests.ts) AS last_seen 
FROM requests JOIN (SELECT requests.ip_prefix AS value, min(requests.ts) AS span_start, max(requests.ts) AS span_stop 
FROM requests 
WHERE requests.ts >= %(ts_3)s AND requests.ts < %(ts_4)s AND requests.ip_prefix IS NOT NULL AND requests.account_id IN (SELECT members.member_id 
FROM (SELECT account_scores.account_id AS member_id, account_scores.calls AS member_calls 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) AS members) GROUP BY requests.ip_prefix) AS span_prefix ON span_prefix.value = requests.ip_prefix AND requests.ts >= span_prefix.span_start AND requests.ts <= span_prefix.span_stop 
WHERE requests.ts >= %(ts_3)s AND requests.ts < %(ts_4)s AND requests.ip_prefix IS NOT NULL GROUP BY requests.ip_prefix, requests.account_id) AS per_account_prefix LEFT OUTER JOIN (SELECT account_scores.account_id AS member_id, account_scores.calls AS member_calls 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) AS members ON members.member_id = per_account_prefix.account_id GROUP BY per_account_prefix.value 
HAVING sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_10)s ELSE %(param_11)s END) >= %(sum_2)s UNION ALL SELECT %(param_17)s AS kind, per_account_user_agent.value AS value, sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_18)s ELSE %(param_19)s END) AS inside_accounts, sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_20)s ELSE %(param_21)s END) AS outside_accounts, sum(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_user_agent.calls ELSE %(param_22)s END) AS exchanges, min(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_user_agent.first_seen END) AS first_seen, max(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_user_agent.last_seen END) AS last_seen, CAST(sum(per_account_user_agent.hosted) AS FLOAT) / nullif(CAST(sum(per_account_user_agent.calls) AS FLOAT), %(nullif_3)s) AS hosting_share 
FROM (SELECT requests.user_agent AS value, requests.account_id AS account_id, count(*) AS calls, sum(CASE WHEN (requests.ip_class IN (__[POSTCOMPILE_ip_class_3])) THEN %(param_23)s ELSE %(param_24)s END) AS hosted, min(requests.ts) AS first_seen, max(requests.ts) AS last_seen 
FROM requests 
WHERE requests.ts >= %(ts_5)s AND requests.ts < %(ts_6)s AND requests.user_agent IS NOT NULL AND requests.user_agent IN (SELECT requests.user_agent 
FROM requests 
WHERE requests.ts >= %(ts_5)s AND requests.ts < %(ts_6)s AND requests.user_agent IS NOT NULL AND requests.account_id IN (SELECT members.member_id 
FROM (SELECT account_scores.account_id AS member_id, account_scores.calls AS member_calls 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) AS members)) GROUP BY requests.user_agent, requests.account_id) AS per_account_user_agent LEFT OUTER JOIN (SELECT account_scores.account_id AS member_id, account_scores.calls AS member_calls 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) AS members ON members.member_id = per_account_user_agent.account_id GROUP BY per_account_user_agent.value 
HAVING sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_18)s ELSE %(param_19)s END) >= %(sum_3)s UNION ALL SELECT %(param_25)s AS kind, per_account_system_prompt.value AS value, sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_26)s ELSE %(param_27)s END) AS inside_accounts, sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_28)s ELSE %(param_29)s END) AS outside_accounts, sum(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_system_prompt.calls ELSE %(param_30)s END) AS exchanges, min(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_system_prompt.first_seen END) AS first_seen, max(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_system_prompt.last_seen END) AS last_seen, CAST(sum(per_account_system_prompt.hosted) AS FLOAT) / nullif(CAST(sum(per_account_system_prompt.calls) AS FLOAT), %(nullif_4)s) AS hosting_share 
FROM (SELECT requests.system_prompt_hash AS value, requests.account_id AS account_id, count(*) AS calls, sum(CASE WHEN (requests.ip_class IN (__[POSTCOMPILE_ip_class_4])) THEN %(param_31)s ELSE %(param_32)s END) AS hosted, min(requests.ts) AS first_seen, max(requests.ts) AS last_seen 
FROM requests 
WHERE requests.ts >= %(ts_7)s AND requests.ts < %(ts_8)s AND requests.system_prompt_hash IS NOT NULL AND requests.system_prompt_hash IN (SELECT requests.system_prompt_hash 
FROM requests 
WHERE requests.ts >= %(ts_7)s AND requests.ts < %(ts_8)s AND requests.system_prompt_hash IS NOT NULL AND requests.account_id IN (SELECT members.member_id 
FROM (SELECT account_scores.account_id AS member_id, account_scores.calls AS member_calls 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) AS members)) GROUP BY requests.system_prompt_hash, requests.account_id) AS per_account_system_prompt LEFT OUTER JOIN (SELECT account_scores.account_id AS member_id, account_scores.calls AS member_calls 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) AS members ON members.member_id = per_account_system_prompt.account_id GROUP BY per_account_system_prompt.value 
HAVING sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_26)s ELSE %(param_27)s END) >= %(sum_4)s UNION ALL SELECT %(param_33)s AS kind, per_account_ua_sysprompt.value AS value, sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_34)s ELSE %(param_35)s END) AS inside_accounts, sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_36)s ELSE %(param_37)s END) AS outside_accounts, sum(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_ua_sysprompt.calls ELSE %(param_38)s END) AS exchanges, min(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_ua_sysprompt.first_seen END) AS first_seen, max(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_ua_sysprompt.last_seen END) AS last_seen, CAST(sum(per_account_ua_sysprompt.hosted) AS FLOAT) / nullif(CAST(sum(per_account_ua_sysprompt.calls) AS FLOAT), %(nullif_5)s) AS hosting_share 
FROM (SELECT requests.user_agent || %(param_39)s || requests.system_prompt_hash AS value, requests.account_id AS account_id, count(*) AS calls, sum(CASE WHEN (requests.ip_class IN (__[POSTCOMPILE_ip_class_5])) THEN %(param_40)s ELSE %(param_41)s END) AS hosted, min(requests.ts) AS first_seen, max(requests.ts) AS last_seen 
FROM requests 
WHERE requests.ts >= %(ts_9)s AND requests.ts < %(ts_10)s AND (requests.user_agent || %(param_39)s || requests.system_prompt_hash) IS NOT NULL AND (requests.user_agent || %(param_39)s || requests.system_prompt_hash) IN (SELECT requests.user_agent || %(param_39)s || requests.system_prompt_hash AS anon_1 
FROM requests 
WHERE requests.ts >= %(ts_9)s AND requests.ts < %(ts_10)s AND (requests.user_agent || %(param_39)s || requests.system_prompt_hash) IS NOT NULL AND requests.account_id IN (SELECT members.member_id 
FROM (SELECT account_scores.account_id AS member_id, account_scores.calls AS member_calls 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) AS members)) GROUP BY requests.user_agent || %(param_39)s || requests.system_prompt_hash, requests.account_id) AS per_account_ua_sysprompt LEFT OUTER JOIN (SELECT account_scores.account_id AS member_id, account_scores.calls AS member_calls 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) AS members ON members.member_id = per_account_ua_sysprompt.account_id GROUP BY per_account_ua_sysprompt.value 
HAVING sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_34)s ELSE %(param_35)s END) >= %(sum_5)s UNION ALL SELECT %(param_42)s AS kind, per_account_email_domain.value AS value, sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_43)s ELSE %(param_44)s END) AS inside_accounts, sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_45)s ELSE %(param_46)s END) AS outside_accounts, sum(CASE WHEN (members.member_id IS NOT NULL) THEN members.member_calls ELSE %(param_47)s END) AS exchanges, min(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_email_domain.first_seen END) AS first_seen, max(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_email_domain.last_seen END) AS last_seen, CAST(sum(per_account_email_domain.hosted) AS FLOAT) / nullif(CAST(sum(per_account_email_domain.calls) AS FLOAT), %(nullif_6)s) AS hosting_share 
FROM (SELECT accounts.email_domain AS value, accounts.account_id AS account_id, %(param_48)s AS calls, %(param_49)s AS hosted, accounts.created_at AS first_seen, accounts.created_at AS last_seen 
FROM accounts 
WHERE accounts.created_at < %(created_at_1)s AND accounts.email_domain IS NOT NULL AND accounts.email_domain IN (SELECT accounts.email_domain 
FROM accounts 
WHERE accounts.created_at < %(created_at_1)s AND accounts.email_domain IS NOT NULL AND accounts.account_id IN (SELECT members.member_id 
FROM (SELECT account_scores.account_id AS member_id, account_scores.calls AS member_calls 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) AS members))) AS per_account_email_domain LEFT OUTER JOIN (SELECT account_scores.account_id AS member_id, account_scores.calls AS member_calls 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) AS members ON members.member_id = per_account_email_domain.account_id GROUP BY per_account_email_domain.value 
HAVING sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_43)s ELSE %(param_44)s END) >= %(sum_6)s UNION ALL SELECT %(param_50)s AS kind, per_account_signup_ip.value AS value, sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_51)s ELSE %(param_52)s END) AS inside_accounts, sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_53)s ELSE %(param_54)s END) AS outside_accounts, sum(CASE WHEN (members.member_id IS NOT NULL) THEN members.member_calls ELSE %(param_55)s END) AS exchanges, min(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_signup_ip.first_seen END) AS first_seen, max(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_signup_ip.last_seen END) AS last_seen, CAST(sum(per_account_signup_ip.hosted) AS FLOAT) / nullif(CAST(sum(per_account_signup_ip.calls) AS FLOAT), %(nullif_7)s) AS hosting_share 
FROM (SELECT accounts.signup_ip AS value, accounts.account_id AS account_id, %(param_56)s AS calls, %(param_57)s AS hosted, accounts.created_at AS first_seen, accounts.created_at AS last_seen 
FROM accounts 
WHERE accounts.created_at < %(created_at_2)s AND accounts.signup_ip IS NOT NULL AND accounts.signup_ip IN (SELECT accounts.signup_ip 
FROM accounts 
WHERE accounts.created_at < %(created_at_2)s AND accounts.signup_ip IS NOT NULL AND accounts.account_id IN (SELECT members.member_id 
FROM (SELECT account_scores.account_id AS member_id, account_scores.calls AS member_calls 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) AS members))) AS per_account_signup_ip LEFT OUTER JOIN (SELECT account_scores.account_id AS member_id, account_scores.calls AS member_calls 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) AS members ON members.member_id = per_account_signup_ip.account_id GROUP BY per_account_signup_ip.value 
HAVING sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_51)s ELSE %(param_52)s END) >= %(sum_7)s UNION ALL SELECT %(param_58)s AS kind, per_account_payment.value AS value, sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_59)s ELSE %(param_60)s END) AS inside_accounts, sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_61)s ELSE %(param_62)s END) AS outside_accounts, sum(CASE WHEN (members.member_id IS NOT NULL) THEN members.member_calls ELSE %(param_63)s END) AS exchanges, min(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_payment.first_seen END) AS first_seen, max(CASE WHEN (members.member_id IS NOT NULL) THEN per_account_payment.last_seen END) AS last_seen, CAST(sum(per_account_payment.hosted) AS FLOAT) / nullif(CAST(sum(per_account_payment.calls) AS FLOAT), %(nullif_8)s) AS hosting_share 
FROM (SELECT accounts.payment_fingerprint AS value, accounts.account_id AS account_id, %(param_64)s AS calls, %(param_65)s AS hosted, accounts.created_at AS first_seen, accounts.created_at AS last_seen 
FROM accounts 
WHERE accounts.created_at < %(created_at_3)s AND accounts.payment_fingerprint IS NOT NULL AND accounts.payment_fingerprint IN (SELECT accounts.payment_fingerprint 
FROM accounts 
WHERE accounts.created_at < %(created_at_3)s AND accounts.payment_fingerprint IS NOT NULL AND accounts.account_id IN (SELECT members.member_id 
FROM (SELECT account_scores.account_id AS member_id, account_scores.calls AS member_calls 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) AS members))) AS per_account_payment LEFT OUTER JOIN (SELECT account_scores.account_id AS member_id, account_scores.calls AS member_calls 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) AS members ON members.member_id = per_account_payment.account_id GROUP BY per_account_payment.value 
HAVING sum(CASE WHEN (members.member_id IS NOT NULL) THEN %(param_59)s ELSE %(param_60)s END) >= %(sum_8)s) AS exclusivity ORDER BY exclusivity.kind, exclusivity.inside_accounts DESC, exclusivity.value
