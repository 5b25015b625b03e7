SELECT coalesce(requests.template_fp, %(param_1)s) AS template_fp, count(*) AS calls, (count(*) * %(count_1)s) / nullif((SELECT count(*) AS count_2 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s AND requests.model = %(model_1)s AND requests.api_key_id = %(api_key_id_1)s), %(nullif_1)s) AS share 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s AND requests.model = %(model_1)s AND requests.api_key_id = %(api_key_id_1)s GROUP BY coalesce(requests.template_fp, %(param_1)s) ORDER BY count(*) DESC, template_fp 
 LIMIT %(param_2)s
