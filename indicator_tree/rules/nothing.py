"""Requirements that ask the unit to file nothing: the inspectors look for themselves
(实地查看, 实地考察, 测评组查看, 看实地, 听取汇报), ask the public or the staff (群众满意度测评,
问卷调查, 知晓率和文明素养测评), or ask another body (部门评价, 征求…意见作出评价), or the unit
only takes part when told (按市文明办安排; not after a label: 完成时限：按市文明办安排 is a date). A frequency in such a sentence (测评组每季度实地查看一次)
is the inspectors' and asks nothing of the unit either.
"""
from __future__ import annotations

import re

NOTHING_RE = re.compile(
    r"实地(?:查看|察看|考察|检查|测评|走访)|现场(?:查看|察看|考察|检查|测评)|看实地|"
    r"测评组(?:查看|检查|抽查|考察|走访)|(?:满意度|满意率)(?:测评|调查|测试)|问卷调查|电话(?:调查|访问|访谈)|"
    r"入户(?:调查|访问)|拦截访问|网上测评|(?:文明)?素养测评|知晓率(?:测评|调查|测试)|明察暗访|暗访|"
    r"部门评价|作出评价|征求[^。；;\n]{0,20}?意见|听取[^。；;\n]{0,40}?(?:汇报|介绍)|听(?:汇报|介绍)|"
    r"(?<![:：\s])按照?(?:省|市|区|县)?(?:级)?文明办(?:的)?(?:统一)?(?:安排|部署|要求)(?:参加|进行|接受|做好)?(?:测评|考核|检查)?"
    r"(?=[。；;,，\n]|$)|不需(?:要)?(?:提交|提供|上报)(?:材料)?|无需(?:提交|提供|上报)(?:材料)?")
