"""Chapter 六, Article 23: free legal aid, reduced appraisal and notary fees."""

from bangfu.policy.rules.base import Ctx, Outcome, rule


@rule("legal.legal_aid", article=23, kind="service", entity="household",
      title="法律援助服务",
      explain="基层法律服务所、律师事务所办理法律援助案件不收取任何费用;司法鉴定费{appraisal_fee};"
              "公证服务费{notary_fee}(第23条)。")
def legal_aid(c: Ctx) -> Outcome:
    """Article 23: 办理法律援助案件不得收取任何费用;司法鉴定缓收、减收或者免收;公证减收或者免收。"""
    return Outcome([], details={
        "legal_aid_fee": 0, "appraisal_fee": "缓收、减收或者免收", "notary_fee": "减收或者免收",
    })
