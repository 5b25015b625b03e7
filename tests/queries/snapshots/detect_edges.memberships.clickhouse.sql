SELECT `memberships`.`edge_type`, `memberships`.`value`, `memberships`.`account_id`, `memberships`.`n_accounts` 
FROM (SELECT :param_1 AS `edge_type`, `c_prefix`.`value` AS `value`, `c_prefix`.`account_id` AS `account_id`, `c_prefix`.`n_accounts` AS `n_accounts` 
FROM (SELECT `p_prefix`.`value` AS `value`, `p_prefix`.`account_id` AS `account_id`, count(*) OVER (PARTITION BY `p_prefix`.`value`) AS `n_accounts` 
FROM (SELECT DISTINCT `requests`.`ip_prefix` AS `value`, `requests`.`account_id` AS `account_id` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`ip_prefix` IS NOT NULL) AS `p_prefix`) AS `c_prefix` 
WHERE `c_prefix`.`n_accounts` >= :n_accounts_1 AND `c_prefix`.`n_accounts` <= :n_accounts_2 UNION ALL SELECT :param_2 AS `edge_type`, `c_asn`.`value` AS `value`, `c_asn`.`account_id` AS `account_id`, `c_asn`.`n_accounts` AS `n_accounts` 
FROM (SELECT `p_asn`.`value` AS `value`, `p_asn`.`account_id` AS `account_id`, count(*) OVER (PARTITION BY `p_asn`.`value`) AS `n_accounts` 
FROM (SELECT DISTINCT CAST(`requests`.`asn` AS VARCHAR) AS `value`, `requests`.`account_id` AS `account_id` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_3 AND `requests`.`ts` < :ts_4 AND CAST(`requests`.`asn` AS VARCHAR) IS NOT NULL) AS `p_asn`) AS `c_asn` 
WHERE `c_asn`.`n_accounts` >= :n_accounts_3 AND `c_asn`.`n_accounts` <= :n_accounts_4 UNION ALL SELECT :param_3 AS `edge_type`, `c_ua_sysprompt`.`value` AS `value`, `c_ua_sysprompt`.`account_id` AS `account_id`, `c_ua_sysprompt`.`n_accounts` AS `n_accounts` 
FROM (SELECT `p_ua_sysprompt`.`value` AS `value`, `p_ua_sysprompt`.`account_id` AS `account_id`, count(*) OVER (PARTITION BY `p_ua_sysprompt`.`value`) AS `n_accounts` 
FROM (SELECT DISTINCT `requests`.`user_agent` || :param_4 || `requests`.`system_prompt_hash` AS `value`, `requests`.`account_id` AS `account_id` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_5 AND `requests`.`ts` < :ts_6 AND (`requests`.`user_agent` || :param_4 || `requests`.`system_prompt_hash`) IS NOT NULL) AS `p_ua_sysprompt`) AS `c_ua_sysprompt` 
WHERE `c_ua_sysprompt`.`n_accounts` >= :n_accounts_5 AND `c_ua_sysprompt`.`n_accounts` <= :n_accounts_6 UNION ALL SELECT :param_5 AS `edge_type`, `c_template`.`value` AS `value`, `c_template`.`account_id` AS `account_id`, `c_template`.`n_accounts` AS `n_accounts` 
FROM (SELECT `t_template`.`value` AS `value`, `t_template`.`account_id` AS `account_id`, count(*) OVER (PARTITION BY `t_template`.`value`) AS `n_accounts` 
FROM (SELECT `r_template`.`value` AS `value`, `r_template`.`account_id` AS `account_id` 
FROM (SELECT `u_template`.`value` AS `value`, `u_template`.`account_id` AS `account_id`, row_number() OVER (PARTITION BY `u_template`.`account_id` ORDER BY `u_template`.`uses` DESC, `u_template`.`value`) AS `rank` 
FROM (SELECT `requests`.`template_fp` AS `value`, `requests`.`account_id` AS `account_id`, count(*) AS `uses` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_7 AND `requests`.`ts` < :ts_8 AND `requests`.`template_fp` IS NOT NULL GROUP BY `requests`.`template_fp`, `requests`.`account_id`) AS `u_template`) AS `r_template` 
WHERE `r_template`.`rank` <= :rank_1) AS `t_template`) AS `c_template` 
WHERE `c_template`.`n_accounts` >= :n_accounts_7 AND `c_template`.`n_accounts` <= :n_accounts_8 UNION ALL SELECT :param_6 AS `edge_type`, `c_near_dup`.`value` AS `value`, `c_near_dup`.`account_id` AS `account_id`, `c_near_dup`.`n_accounts` AS `n_accounts` 
FROM (SELECT `t_near_dup`.`value` AS `value`, `t_near_dup`.`account_id` AS `account_id`, count(*) OVER (PARTITION BY `t_near_dup`.`value`) AS `n_accounts` 
FROM (SELECT `r_near_dup`.`value` AS `value`, `r_near_dup`.`account_id` AS `account_id` 
FROM (SELECT `u_near_dup`.`value` AS `value`, `u_near_dup`.`account_id` AS `account_id`, row_number() OVER (PARTITION BY `u_near_dup`.`account_id` ORDER BY `u_near_dup`.`uses` DESC, `u_near_dup`.`value`) AS `rank` 
FROM (SELECT CAST(`requests`.`near_dup_a` AS VARCHAR) AS `value`, `requests`.`account_id` AS `account_id`, count(*) AS `uses` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_9 AND `requests`.`ts` < :ts_10 AND CAST(`requests`.`near_dup_a` AS VARCHAR) IS NOT NULL GROUP BY CAST(`requests`.`near_dup_a` AS VARCHAR), `requests`.`account_id`) AS `u_near_dup`) AS `r_near_dup` 
WHERE `r_near_dup`.`rank` <= :rank_2) AS `t_near_dup`) AS `c_near_dup` 
WHERE `c_near_dup`.`n_accounts` >= :n_accounts_9 AND `c_near_dup`.`n_accounts` <= :n_accounts_10 UNION ALL SELECT :param_7 AS `edge_type`, `c_payment`.`value` AS `value`, `c_payment`.`account_id` AS `account_id`, `c_payment`.`n_accounts` AS `n_accounts` 
FROM (SELECT `p_payment`.`value` AS `value`, `p_payment`.`account_id` AS `account_id`, count(*) OVER (PARTITION BY `p_payment`.`value`) AS `n_accounts` 
FROM (SELECT DISTINCT `accounts`.`payment_fingerprint` AS `value`, `accounts`.`account_id` AS `account_id` 
FROM `accounts` 
WHERE `accounts`.`created_at` < :created_at_1 AND `accounts`.`payment_fingerprint` IS NOT NULL) AS `p_payment`) AS `c_payment` 
WHERE `c_payment`.`n_accounts` >= :n_accounts_11 AND `c_payment`.`n_accounts` <= :n_accounts_12 UNION ALL SELECT :param_8 AS `edge_type`, `c_signup_ip`.`value` AS `value`, `c_signup_ip`.`account_id` AS `account_id`, `c_signup_ip`.`n_accounts` AS `n_accounts` 
FROM (SELECT `p_signup_ip`.`value` AS `value`, `p_signup_ip`.`account_id` AS `account_id`, count(*) OVER (PARTITION BY `p_signup_ip`.`value`) AS `n_accounts` 
FROM (SELECT DISTINCT `accounts`.`signup_ip` AS `value`, `accounts`.`account_id` AS `account_id` 
FROM `accounts` 
WHERE `accounts`.`created_at` < :created_at_2 AND `accounts`.`signup_ip` IS NOT NULL) AS `p_signup_ip`) AS `c_signup_ip` 
WHERE `c_signup_ip`.`n_accounts` >= :n_accounts_13 AND `c_signup_ip`.`n_accounts` <= :n_accounts_14 UNION ALL SELECT :param_9 AS `edge_type`, `c_email_burst`.`value` AS `value`, `c_email_burst`.`account_id` AS `account_id`, `c_email_burst`.`n_accounts` AS `n_accounts` 
FROM (SELECT `p_email_burst`.`value` AS `value`, `p_email_burst`.`account_id` AS `account_id`, count(*) OVER (PARTITION BY `p_email_burst`.`value`) AS `n_accounts` 
FROM (SELECT DISTINCT `accounts`.`email_domain` || :param_10 || concat(toString(toDateTime(toStartOfDay(`accounts`.`created_at`), 'UTC')), '+00') AS `value`, `accounts`.`account_id` AS `account_id` 
FROM `accounts` INNER JOIN (SELECT `daily`.`domain` AS `domain`, `daily`.`day` AS `day` 
FROM (SELECT `accounts`.`email_domain` AS `domain`, toStartOfDay(`accounts`.`created_at`) AS `day`, count(*) AS `n` 
FROM `accounts` 
WHERE `accounts`.`created_at` < :created_at_3 AND `accounts`.`email_domain` IS NOT NULL GROUP BY `accounts`.`email_domain`, toStartOfDay(`accounts`.`created_at`)) AS `daily` INNER JOIN (SELECT `daily`.`domain` AS `domain`, sum(`daily`.`n`) AS `total`, count(*) AS `active_days` 
FROM (SELECT `accounts`.`email_domain` AS `domain`, toStartOfDay(`accounts`.`created_at`) AS `day`, count(*) AS `n` 
FROM `accounts` 
WHERE `accounts`.`created_at` < :created_at_3 AND `accounts`.`email_domain` IS NOT NULL GROUP BY `accounts`.`email_domain`, toStartOfDay(`accounts`.`created_at`)) AS `daily` GROUP BY `daily`.`domain`) AS `per_domain` ON `per_domain`.`domain` = `daily`.`domain` INNER JOIN (SELECT `daily`.`day` AS `day`, sum(`daily`.`n`) AS `total` 
FROM (SELECT `accounts`.`email_domain` AS `domain`, toStartOfDay(`accounts`.`created_at`) AS `day`, count(*) AS `n` 
FROM `accounts` 
WHERE `accounts`.`created_at` < :created_at_3 AND `accounts`.`email_domain` IS NOT NULL GROUP BY `accounts`.`email_domain`, toStartOfDay(`accounts`.`created_at`)) AS `daily` GROUP BY `daily`.`day`) AS `per_day` ON `per_day`.`day` = `daily`.`day` 
WHERE `daily`.`n` >= :n_1 AND (`per_domain`.`active_days` * :active_days_1 < (SELECT count(*) AS `count_1` 
FROM (SELECT `daily`.`day` AS `day`, sum(`daily`.`n`) AS `total` 
FROM (SELECT `accounts`.`email_domain` AS `domain`, toStartOfDay(`accounts`.`created_at`) AS `day`, count(*) AS `n` 
FROM `accounts` 
WHERE `accounts`.`created_at` < :created_at_3 AND `accounts`.`email_domain` IS NOT NULL GROUP BY `accounts`.`email_domain`, toStartOfDay(`accounts`.`created_at`)) AS `daily` GROUP BY `daily`.`day`) AS `per_day`) OR CAST(`daily`.`n` AS FLOAT) >= :param_11 * ((CAST(`per_domain`.`total` AS FLOAT) * CAST(`per_day`.`total` AS FLOAT)) / CAST((SELECT sum(`daily`.`n`) AS `sum_1` 
FROM (SELECT `accounts`.`email_domain` AS `domain`, toStartOfDay(`accounts`.`created_at`) AS `day`, count(*) AS `n` 
FROM `accounts` 
WHERE `accounts`.`created_at` < :created_at_3 AND `accounts`.`email_domain` IS NOT NULL GROUP BY `accounts`.`email_domain`, toStartOfDay(`accounts`.`created_at`)) AS `daily`) AS FLOAT)) AND CAST(`daily`.`n` AS FLOAT) >= (CAST(`per_domain`.`total` AS FLOAT) * CAST(`per_day`.`total` AS FLOAT)) / CAST((SELECT sum(`daily`.`n`) AS `sum_1` 
FROM (SELECT `accounts`.`email_domain` AS `domain`, toStartOfDay(`accounts`.`created_at`) AS `day`, count(*) AS `n` 
FROM `accounts` 
WHERE `accounts`.`created_at` < :created_at_3 AND `accounts`.`email_domain` IS NOT NULL GROUP BY `accounts`.`email_domain`, toStartOfDay(`accounts`.`created_at`)) AS `daily`) AS FLOAT) + :sqrt_1 * sqrt((CAST(`per_domain`.`total` AS FLOAT) * CAST(`per_day`.`total` AS FLOAT)) / CAST((SELECT sum(`daily`.`n`) AS `sum_1` 
FROM (SELECT `accounts`.`email_domain` AS `domain`, toStartOfDay(`accounts`.`created_at`) AS `day`, count(*) AS `n` 
FROM `accounts` 
WHERE `accounts`.`created_at` < :created_at_3 AND `accounts`.`email_domain` IS NOT NULL GROUP BY `accounts`.`email_domain`, toStartOfDay(`accounts`.`created_at`)) AS `daily`) AS FLOAT)))) AS `bursts` ON `bursts`.`domain` = `accounts`.`email_domain` AND `bursts`.`day` = toStartOfDay(`accounts`.`created_at`) 
WHERE `accounts`.`created_at` < :created_at_3 AND (`accounts`.`email_domain` || :param_10 || concat(toString(toDateTime(toStartOfDay(`accounts`.`created_at`), 'UTC')), '+00')) IS NOT NULL) AS `p_email_burst`) AS `c_email_burst` 
WHERE `c_email_burst`.`n_accounts` >= :n_accounts_15 AND `c_email_burst`.`n_accounts` <= :n_accounts_16) AS `memberships`
