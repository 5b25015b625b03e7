SELECT requests.template_fp AS template_fp 
FROM requests 
WHERE requests.ts >= %(ts_1)s::TIMESTAMP WITH TIME ZONE AND requests.ts < %(ts_2)s::TIMESTAMP WITH TIME ZONE AND requests.template_fp IS NOT NULL GROUP BY requests.template_fp 
HAVING count(distinct(requests.account_id)) >= %(count_1)s::INTEGER AND count(distinct(requests.account_id)) <= %(count_2)s::INTEGER
