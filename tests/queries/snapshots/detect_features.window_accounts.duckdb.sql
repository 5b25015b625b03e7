SELECT count(distinct(requests.account_id)) AS n 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s
