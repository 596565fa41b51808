return veto(data.serious)   -- 理由缺省为项目名称
