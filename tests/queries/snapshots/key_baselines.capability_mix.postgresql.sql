SELECT coalesce(requests.capability, %(param_1)s::VARCHAR) AS capability, count(*) AS calls, count(CASE WHEN (requests.cot IS true) THEN %(param_2)s::INTEGER END) AS cot_calls 
FROM requests 
WHERE requests.ts >= %(ts_1)s::TIMESTAMP WITH TIME ZONE AND requests.ts < %(ts_2)s::TIMESTAMP WITH TIME ZONE AND requests.model = %(model_1)s::VARCHAR AND requests.api_key_id = %(api_key_id_1)s::VARCHAR GROUP BY coalesce(requests.capability, %(param_1)s::VARCHAR) ORDER BY count(*) DESC
