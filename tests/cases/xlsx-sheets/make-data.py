# Writes data.xlsx by hand, the way some other writers do it (not Excel or
# LibreOffice): inline strings, "x:"-prefixed element names, an absolute
# part target, a formula with its cached value, a built-in percent style,
# and three sheets of which two hold data.  Run: python3 make-data.py
import zipfile
NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
files = {
 '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
 '_rels/.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
 'xl/workbook.xml': f'<?xml version="1.0" encoding="UTF-8"?><x:workbook xmlns:x="{NS}" xmlns:r="{R}"><x:sheets><x:sheet name="说明" sheetId="1" r:id="rId1"/><x:sheet name="法制办" sheetId="2" r:id="rId2"/><x:sheet name="信访局" sheetId="3" r:id="rId3"/></x:sheets></x:workbook>',
 'xl/_rels/workbook.xml.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/a.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/b.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/c.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
 'xl/styles.xml': f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="9"/></cellXfs></styleSheet>',
 'xl/worksheets/a.xml': f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>每个单位一行，不要改动单位编号。</t></is></c></row><row r="3"><c r="A3" t="inlineStr"><is><t>来源</t></is></c><c r="B3" t="inlineStr"><is><t>说明</t></is></c></row></sheetData></worksheet>',
 'xl/worksheets/b.xml': f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{NS}"><x:sheetData>'
   '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>unit</x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:r><x:t>迟报</x:t></x:r><x:r><x:t>次数</x:t></x:r></x:is></x:c></x:row>'
   '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>sfj</x:t></x:is></x:c><x:c r="B2"><x:v>1</x:v></x:c></x:row>'
   '<x:row r="3"><x:c r="A3" t="inlineStr"><x:is><x:t>xfj</x:t></x:is></x:c><x:c r="B3"><x:f>2-2</x:f><x:v>0</x:v></x:c></x:row>'
   '</x:sheetData></x:worksheet>',
 'xl/worksheets/c.xml': f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'
   '<row r="2"><c r="B2" t="inlineStr"><is><t>单位名称</t></is></c><c r="C2" t="inlineStr"><is><t>结案率（%）</t></is></c></row>'
   '<row r="3"><c r="B3" t="inlineStr"><is><t>区司法局</t></is></c><c r="C3" s="1"><v>0.85</v></c></row>'
   '<row r="4"><c r="B4" t="inlineStr"><is><t>区信访局</t></is></c><c r="C4" t="inlineStr"><is><t>100%</t></is></c></row>'
   '</sheetData></worksheet>',
}
with zipfile.ZipFile('data.xlsx', 'w', zipfile.ZIP_DEFLATED) as z:
    for name, text in files.items():
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text.encode('utf-8'))
