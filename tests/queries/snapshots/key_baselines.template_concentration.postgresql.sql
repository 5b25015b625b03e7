SELECT coalesce(requests.template_fp, %(param_1)s::VARCHAR) AS template_fp, count(*) AS calls, (count(*) * %(count_1)s) / CAST(nullif((SELECT count(*) AS count_2 
FROM requests 
WHERE requests.ts >= %(ts_1)s::TIMESTAMP WITH TIME ZONE AND requests.ts < %(ts_2)s::TIMESTAMP WITH TIME ZONE AND requests.model = %(model_1)s::VARCHAR AND requests.api_key_id = %(api_key_id_1)s::VARCHAR), %(nullif_1)s::INTEGER) AS NUMERIC) AS share 
FROM requests 
WHERE requests.ts >= %(ts_1)s::TIMESTAMP WITH TIME ZONE AND requests.ts < %(ts_2)s::TIMESTAMP WITH TIME ZONE AND requests.model = %(model_1)s::VARCHAR AND requests.api_key_id = %(api_key_id_1)s::VARCHAR GROUP BY coalesce(requests.template_fp, %(param_1)s::VARCHAR) ORDER BY count(*) DESC, template_fp 
 LIMIT %(param_2)s::INTEGER
